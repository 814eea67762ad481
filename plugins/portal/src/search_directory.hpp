// SPDX-License-Identifier: Apache-2.0
#pragma once

// The directory on the kiosk's search index "portal" (seba/search.hpp) and the catalog
// channel portal.offices, read through the plugin's store.

#include <seba/sdk.hpp>

#include "directory.hpp"

namespace seba::portal {

inline constexpr const char* kIndex = "portal";
inline constexpr const char* kOfficesChannel = "portal.offices";

class SearchDirectory final : public Directory {
  public:
    explicit SearchDirectory(PluginStore& store) : store_(store) {}

    std::vector<Place> children(const std::optional<PlaceRef>& parent,
                                std::string_view language) override;
    std::optional<Place> place(const PlaceRef& ref) override;
    std::vector<Place> path(const Place& place) override;
    std::vector<Found> find(std::string_view text, std::size_t limit) override;
    nlohmann::json details(const PlaceRef& ref) override;
    std::vector<Located> located() override;
    std::vector<FeedStatus> status() override;

  private:
    PluginStore& store_;
};

}  // namespace seba::portal
