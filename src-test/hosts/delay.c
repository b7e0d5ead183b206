/*
 * troupe-delay: what `hosts netem` uses on this kernel, which has no netem qdisc. It takes the
 * packets one test host sends to the other test hosts from an NFQUEUE (iptables -j NFQUEUE in the
 * host's OUTPUT chain), drops each with the given probability and lets the others go after the
 * given delay, spread uniformly over +/- the jitter (so, as with netem, packets may be reordered).
 * Verdicts are given in any order, by packet id; a packet queued is one whose sender already got
 * its send back, so a drop here is silent, as on a real lossy link.
 *
 *   troupe-delay QUEUE DELAY_MS JITTER_MS LOSS_PERCENT SEED
 *
 * Runs in the host's network namespace until it gets SIGTERM or SIGINT.
 */
#include <errno.h>
#include <netinet/in.h>
/* After netinet/in.h, which the kernel's headers then leave alone. */
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

struct held {
  uint64_t due;
  uint32_t id;
};

static struct held *heap;
static size_t heap_len;
static size_t heap_cap;
static struct nfq_q_handle *queue;
static double delay_ms;
static double jitter_ms;
static double loss;
static uint64_t rng;
static volatile sig_atomic_t stopping;

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* xorshift64*: seeded, so a trial's losses can be repeated. */
static double uniform01(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return (double)((rng * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

static void push(uint64_t due, uint32_t id) {
  if (heap_len == heap_cap) {
    heap_cap = heap_cap ? heap_cap * 2 : 1024;
    heap = realloc(heap, heap_cap * sizeof *heap);
    if (!heap) {
      perror("troupe-delay: realloc");
      exit(1);
    }
  }
  size_t i = heap_len++;
  while (i > 0 && heap[(i - 1) / 2].due > due) {
    heap[i] = heap[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  heap[i].due = due;
  heap[i].id = id;
}

static struct held pop(void) {
  struct held top = heap[0];
  struct held last = heap[--heap_len];
  size_t i = 0;
  for (;;) {
    size_t child = 2 * i + 1;
    if (child >= heap_len) break;
    if (child + 1 < heap_len && heap[child + 1].due < heap[child].due) child++;
    if (heap[child].due >= last.due) break;
    heap[i] = heap[child];
    i = child;
  }
  if (heap_len > 0) heap[i] = last;
  return top;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *data,
                     void *unused) {
  (void)msg;
  (void)unused;
  struct nfqnl_msg_packet_hdr *header = nfq_get_msg_packet_hdr(data);
  if (!header) return 0;
  uint32_t id = ntohl(header->packet_id);
  if (loss > 0 && uniform01() * 100.0 < loss) {
    return nfq_set_verdict(qh, id, NF_DROP, 0, NULL);
  }
  double ms = delay_ms + (jitter_ms > 0 ? (uniform01() * 2.0 - 1.0) * jitter_ms : 0.0);
  if (ms <= 0) return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
  push(now_ns() + (uint64_t)(ms * 1e6), id);
  return 0;
}

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: troupe-delay QUEUE DELAY_MS JITTER_MS LOSS_PERCENT SEED\n");
    return 2;
  }
  int queue_number = atoi(argv[1]);
  delay_ms = atof(argv[2]);
  jitter_ms = atof(argv[3]);
  loss = atof(argv[4]);
  rng = strtoull(argv[5], NULL, 10) * 0x9E3779B97F4A7C15ull + 1;
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);

  struct nfq_handle *handle = nfq_open();
  if (!handle) {
    perror("troupe-delay: nfq_open");
    return 1;
  }
  queue = nfq_create_queue(handle, (uint16_t)queue_number, &on_packet, NULL);
  if (!queue) {
    fprintf(stderr, "troupe-delay: cannot bind queue %d (is another delayer on it?)\n",
            queue_number);
    return 1;
  }
  if (nfq_set_mode(queue, NFQNL_COPY_META, 0) < 0 || nfq_set_queue_maxlen(queue, 1 << 16) < 0) {
    fprintf(stderr, "troupe-delay: cannot configure queue %d\n", queue_number);
    return 1;
  }
  int fd = nfq_fd(handle);
  int big = 8 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
  int on = 1;
  setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &on, sizeof on);
  printf("troupe-delay: queue %d, delay %.1f ms +/- %.1f ms, loss %.2f%%\n", queue_number,
         delay_ms, jitter_ms, loss);
  fflush(stdout);

  static char buffer[65536] __attribute__((aligned));
  while (!stopping) {
    int timeout = -1;
    if (heap_len > 0) {
      uint64_t now = now_ns();
      timeout = heap[0].due > now ? (int)((heap[0].due - now + 999999) / 1000000) : 0;
    }
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int ready = poll(&p, 1, timeout);
    if (ready < 0 && errno != EINTR) {
      perror("troupe-delay: poll");
      break;
    }
    if (ready > 0) {
      for (;;) {
        ssize_t n = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n <= 0) break;
        nfq_handle_packet(handle, buffer, (int)n);
      }
    }
    uint64_t now = now_ns();
    while (heap_len > 0 && heap[0].due <= now) {
      struct held due = pop();
      nfq_set_verdict(queue, due.id, NF_ACCEPT, 0, NULL);
    }
  }
  /* Let what is held go now rather than drop it: a heal should not look like a burst of loss. */
  while (heap_len > 0) {
    struct held due = pop();
    nfq_set_verdict(queue, due.id, NF_ACCEPT, 0, NULL);
  }
  nfq_destroy_queue(queue);
  nfq_close(handle);
  return 0;
}
