#include "notified_deaths.hpp"

#include <nlohmann/json.hpp>

namespace casereview::storage {

std::string NotifiedNhsNumber(std::string_view kind, std::string_view opening_payload) {
  if (kind != "cdop") return {};
  nlohmann::json payload = nlohmann::json::parse(opening_payload, nullptr, /*allow_exceptions=*/false);
  if (!payload.is_object()) return {};
  auto nhs = payload.find("nhs_number");
  return nhs != payload.end() && nhs->is_string() ? nhs->get<std::string>() : std::string();
}

std::string NotifiedNhsNumber(const ReviewChange& c) {
  if (c.expected_last_seq != 0 || c.events.empty() || c.events.front().seq != 1) return {};
  return NotifiedNhsNumber(c.review.kind, c.events.front().payload);
}

}  // namespace casereview::storage
