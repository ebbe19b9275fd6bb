#include "service/bus/requests/healer.hpp"

#include <algorithm>

#include "service/bus/state/state_reader.hpp"
#include "service/logging/log.hpp"

namespace volumes::bus {

void Healer::heal(const std::string& pool)
{
    if (!healing_.insert(pool).second)
        return;
    logging::warning({pool, {}, "heal"}, "the pool's devices differ from its metadata: healing");
    attempt(pool, kFirstDelay, 1);
}

void Healer::attempt(const std::string& pool, std::chrono::milliseconds delay, unsigned number)
{
    loop_.after(delay, [this, pool, delay, number] {
        queues_.submit(pool, [this, pool, delay, number] {
            engine::Result<void> healed = engine::fail(engine::ErrorCode::Failed, "healing did not run");
            try {
                healed = engine_.heal(pool);
            } catch (const std::exception& e) {
                healed = engine::fail(engine::ErrorCode::Failed, e.what());
            }
            auto snapshot = read_pool(engine_, pool);
            loop_.post([this, pool, delay, number, healed = std::move(healed), snapshot = std::move(snapshot)] {
                const logging::Fields fields{pool, {}, "heal"};
                if (snapshot && tree_ && tree_->has_pool(pool))
                    tree_->apply(*snapshot);
                if (healed || healed.error().code == engine::ErrorCode::NotFound) {
                    healing_.erase(pool);
                    if (healed)
                        logging::notice(fields, "healed: the devices agree with the metadata again (attempt {})",
                                        number);
                    return;
                }
                const auto next = std::min(delay * 2, kLongestDelay);
                logging::warning(fields, "healing attempt {} failed: {}; again in {} s", number, healed.error().message,
                                 next.count() / 1000);
                attempt(pool, next, number + 1);
            });
        });
    });
}

}  // namespace volumes::bus
