#pragma once

// The volumesd client library: link volumes-client (CMake: find_package(VolumesClient),
// target VolumesClient::volumes-client; pkg-config: volumes-client).
#include "volumes/client/client.hpp"
#include "volumes/client/errors.hpp"
#include "volumes/client/events.hpp"
#include "volumes/client/objects.hpp"
#include "volumes/client/options.hpp"
