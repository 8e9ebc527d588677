// JSON to Mustache data (kainjow/mustache), for the notices and the web pages alike.
// Empty strings and nulls are left out, so `{{#due_date}}...{{/due_date}}` shows only when
// there is a date. Mustache escapes every `{{value}}` for HTML; only `{{{...}}}` does not,
// and casereview uses that only for markup it built itself (the web pages' charts).
#pragma once

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace casereview {

inline kainjow::mustache::data MustacheData(const nlohmann::json& j) {
  namespace mu = kainjow::mustache;
  if (j.is_object()) {
    mu::data d{mu::data::type::object};
    for (const auto& [k, v] : j.items())
      if (!v.is_null() && !(v.is_string() && v.get<std::string>().empty())) d.set(k, MustacheData(v));
    return d;
  }
  if (j.is_array()) {
    mu::data d{mu::data::type::list};
    for (const auto& v : j) d.push_back(MustacheData(v));
    return d;
  }
  if (j.is_string()) return mu::data{j.get<std::string>()};
  if (j.is_boolean()) return j.get<bool>() ? mu::data{mu::data::type::bool_true} : mu::data{mu::data::type::bool_false};
  return mu::data{j.dump()};
}

}  // namespace casereview
