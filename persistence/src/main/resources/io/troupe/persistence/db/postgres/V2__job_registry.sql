-- Troupe schema v2 for PostgreSQL: the durable job registry.
-- One row per job of the cluster: what it runs, who submitted it, its state, priority, times
-- (epoch milliseconds), counts and a one-line summary of its result or error. The job's ledger
-- (event_journal) stays the truth about its items; this table is what lists, admission and the
-- wake-up after a whole-cluster restart read. updated_at is when the row's latest record was
-- made, on the node that made it: a record older than the row's (a retry from a node the job has
-- left) changes nothing.

CREATE TABLE troupe_jobs (
  job_id VARCHAR(200) PRIMARY KEY,
  pipeline VARCHAR(200) NOT NULL,
  args TEXT NOT NULL,
  submitted_by VARCHAR(200) NOT NULL,
  state VARCHAR(40) NOT NULL,
  priority INTEGER NOT NULL,
  submitted_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT,
  items BIGINT NOT NULL DEFAULT 0,
  completed BIGINT NOT NULL DEFAULT 0,
  quarantined BIGINT NOT NULL DEFAULT 0,
  failed_attempts BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  summary TEXT
);

CREATE INDEX troupe_jobs_state_idx ON troupe_jobs (state);
CREATE INDEX troupe_jobs_submitted_idx ON troupe_jobs (submitted_at);

-- One row, locked by every admission: counting running jobs and adding one is one step for the
-- whole cluster.
CREATE TABLE troupe_admission (
  id INTEGER PRIMARY KEY
);
INSERT INTO troupe_admission (id) VALUES (1);
