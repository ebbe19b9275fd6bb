#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "service/model/model_error.hpp"
#include "service/model/pool_model.hpp"

// Reads the fields of one object of a pool document without throwing. Errors name the object
// by its path in the document ("pool.volumes[2].legs[0]"). The reader notes each key it is
// asked for, so that a key this version does not know can be refused afterwards.
namespace volumes::model {

class JsonFields {
public:
    // Corrupt unless `value` is an object.
    static Result<JsonFields> open(const nlohmann::json& value, std::string path);

    const std::string& path() const { return path_; }
    bool has(std::string_view key);

    // Corrupt if the key is missing or holds another type; integers must be non-negative and
    // fit the type.
    Result<std::uint64_t> u64(std::string_view key);
    Result<std::uint32_t> u32(std::string_view key);
    Result<bool> boolean(std::string_view key);
    Result<std::string> string(std::string_view key);
    Result<Uuid> uuid(std::string_view key);
    Result<const nlohmann::json*> array(std::string_view key);
    Result<const nlohmann::json*> object(std::string_view key);

    // Unsupported naming the first key none of the calls above asked for.
    Result<void> no_other_keys() const;

private:
    JsonFields(const nlohmann::json& object, std::string path) : object_(&object), path_(std::move(path)) {}
    const nlohmann::json* find(std::string_view key);
    std::unexpected<Error> missing(std::string_view key, std::string_view type) const;

    const nlohmann::json* object_;
    std::string path_;
    std::vector<std::string> asked_;
};

}  // namespace volumes::model
