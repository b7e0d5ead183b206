/** Internal API: helpers the Troupe runtime shares with the SDK. Nothing here is stable. */
package io.troupe.sdk.internal;
