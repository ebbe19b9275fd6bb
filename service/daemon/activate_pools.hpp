#pragma once

namespace volumes::daemon {

// volumesd --activate, early in boot (volumesd-activate.service): starts the engine, which
// assembles every pool, activates the committed active volumes and starts the pending merges
// of origins nothing holds open; logs each pool's problems; waits for udev to settle so the
// volumes' /dev nodes and links exist before local filesystems mount. No D-Bus. Returns the
// exit status: non-zero only when the engine could not start at all.
int activate_pools();

}  // namespace volumes::daemon
