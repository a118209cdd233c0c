// mxstate versions: the room-version table (RoomVersionRules, every field).
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "mxstate/room_version.h"

namespace mxstate::cli {
namespace po = boost::program_options;
namespace {

using Field = std::pair<std::string, Json>;

// Every field of `rules` in declaration order; nested structs as
// "redaction.<name>" and "auth.<name>". Add a row here when room_version.h
// grows a field.
std::vector<Field> RoomVersionFields(const RoomVersionRules& r) {
  const auto str = [](std::string_view s) { return Json(std::string(s)); };
  const RedactionRules& d = r.redaction;
  const AuthRuleFlags& a = r.auth;
  return {
      {"id", str(r.id)},
      {"stable", r.stable},
      {"event_id_format", str(ToString(r.event_id_format))},
      {"room_id_format", str(ToString(r.room_id_format))},
      {"event_id_in_pdu", r.event_id_in_pdu},
      {"event_refs_with_hashes", r.event_refs_with_hashes},
      {"event_id_server_signs", r.event_id_server_signs},
      {"redacts_in_content", r.redacts_in_content},
      {"canonical_json", str(ToString(r.canonical_json))},
      {"enforce_key_validity", r.enforce_key_validity},
      {"max_depth", r.max_depth},
      {"state_res", str(ToString(r.state_res))},
      {"predecessor_event_id_optional", r.predecessor_event_id_optional},
      {"redaction.keep_aliases", d.keep_aliases},
      {"redaction.keep_join_rules_allow", d.keep_join_rules_allow},
      {"redaction.keep_join_authorised_via", d.keep_join_authorised_via},
      {"redaction.keep_all_create_content", d.keep_all_create_content},
      {"redaction.keep_power_levels_invite", d.keep_power_levels_invite},
      {"redaction.keep_redaction_redacts", d.keep_redaction_redacts},
      {"redaction.keep_third_party_signed", d.keep_third_party_signed},
      {"redaction.keep_origin_membership_prev_state",
       d.keep_origin_membership_prev_state},
      {"auth.special_case_aliases", a.special_case_aliases},
      {"auth.special_case_redaction", a.special_case_redaction},
      {"auth.create_requires_creator", a.create_requires_creator},
      {"auth.creator_is_sender", a.creator_is_sender},
      {"auth.notifications_power_levels", a.notifications_power_levels},
      {"auth.knocking", a.knocking},
      {"auth.restricted_join", a.restricted_join},
      {"auth.knock_restricted", a.knock_restricted},
      {"auth.integer_power_levels", a.integer_power_levels},
      {"auth.string_power_levels", a.string_power_levels},
      {"auth.float_power_levels", a.float_power_levels},
      {"auth.privileged_creators", a.privileged_creators},
      {"auth.create_event_implied", a.create_event_implied},
      {"auth.create_domain_must_match", a.create_domain_must_match},
  };
}

// Nests "group.name" fields into {"group": {"name": ...}}.
Json FieldsToJson(const std::vector<Field>& fields) {
  Json object = Json::EmptyObject();
  for (const auto& [name, value] : fields) {
    const size_t dot = name.find('.');
    if (dot == std::string::npos) {
      object.Set(name, value);
      continue;
    }
    const std::string group = name.substr(0, dot);
    if (object.Find(group) == nullptr) object.Set(group, Json::EmptyObject());
    object.Find(group)->Set(name.substr(dot + 1), value);
  }
  return object;
}

std::string Cell(const Json& value) {
  switch (value.kind()) {
    case Json::Kind::kBool: return value.as_bool() ? "yes" : "-";
    case Json::Kind::kString: return value.as_string();
    case Json::Kind::kInteger: {
      // The two depth limits read better as powers of two.
      const int64_t v = value.as_integer();
      if (v == (int64_t{1} << 53) - 1) return "2^53-1";
      if (v == INT64_MAX) return "2^63-1";
      return std::to_string(v);
    }
    default: return CanonicalJson(value);
  }
}

}  // namespace

int RunVersions(const Args& args) {
  po::options_description options("Options");
  bool as_json = false;
  options.add_options()("json", po::bool_switch(&as_json),
                        "print {\"room_versions\": [{...every field...}]}");
  po::positional_options_description positional;
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate versions [--json]",
           "Prints the room-version table that drives every per-version rule\n"
           "in libstate: one row per field, one column per room version\n"
           "(yes / - for flags). --json prints every version as an object.\n"},
          &vm)) {
    return kExitOk;
  }
  std::vector<std::vector<Field>> table;
  for (const RoomVersionRules& rules : AllRoomVersions()) {
    table.push_back(RoomVersionFields(rules));
  }
  if (as_json) {
    Json::Array versions;
    for (const std::vector<Field>& fields : table) {
      versions.push_back(FieldsToJson(fields));
    }
    Json document = Json::EmptyObject();
    document.Set("room_versions", Json(std::move(versions)));
    PrintJson(document);
    return kExitOk;
  }
  if (table.empty()) return kExitOk;
  const size_t rows = table.front().size();
  size_t name_width = 0;
  for (const Field& field : table.front()) {
    name_width = std::max(name_width, field.first.size());
  }
  std::vector<size_t> widths;
  for (const std::vector<Field>& fields : table) {
    size_t width = 0;
    for (const Field& field : fields) {
      width = std::max(width, Cell(field.second).size());
    }
    widths.push_back(width);
  }
  for (size_t row = 0; row < rows; ++row) {
    std::string line = table.front()[row].first;
    line.resize(name_width, ' ');
    for (size_t column = 0; column < table.size(); ++column) {
      std::string cell = Cell(table[column][row].second);
      cell.resize(std::max(cell.size(), widths[column]), ' ');
      line += "  " + cell;
    }
    line.erase(line.find_last_not_of(' ') + 1);  // no trailing blanks
    std::cout << line << "\n";
  }
  return kExitOk;
}

}  // namespace mxstate::cli
