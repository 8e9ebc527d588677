// The web pages (docs/web.md): server-rendered HTML styled with GOV.UK Frontend, for the
// panel chair (every review on one page, a review's page, forms for its events), authors,
// senior managers and lead officers ("my tasks") and the board (action-plan status with
// charts, printable). Every page gets its data by calling the JSON API (api.hpp) as the
// signed-in person, so the roles, the refusals and the audit log are the API's own: a page
// never sees or changes more than its reader could through the API.
#pragma once

#include <string_view>

#include "api.hpp"

namespace casereview::http {

// Whether `path` is a web page (or its stylesheet) rather than the API or a calendar feed.
bool IsWebPath(std::string_view path);

// Answers one browser request. Forms post application/x-www-form-urlencoded bodies carrying
// the session's CSRF token in a hidden `csrf_token` field.
Response HandleWeb(const Request& req, Store& store, Engine& engine, const Clock& clock, const ApiOptions& options);

}  // namespace casereview::http
