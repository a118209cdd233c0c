#include "cli/dag_render.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "cli/dag_resets.h"
#include "cli/room_input.h"
#include "mxstate/canonical_json.h"
#include "vectors/text_util.h"

namespace mxstate::cli {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …

// Sanitised UTF-8 with control characters replaced by spaces.
std::string Clean(std::string_view text) {
  std::string out = vectors::SanitizeUtf8(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

// At most `max` code points of (clean) `text`, with "…" when cut.
std::string Truncate(const std::string& text, size_t max) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (count == max) return text.substr(0, i) + std::string(kEllipsis);
    ++count;
  }
  return text;
}

// The IDs an event cites in `field`: strings (v3+) or [id, hashes] pairs (v1-2).
std::vector<std::string> ReferencedIds(const Json& event, std::string_view field) {
  std::vector<std::string> ids;
  const Json* list = event.Find(field);
  if (list == nullptr || !list->is_array()) return ids;
  for (const Json& item : list->as_array()) {
    if (item.is_string()) {
      ids.push_back(item.as_string());
    } else if (item.is_array() && !item.as_array().empty() && item.as_array()[0].is_string()) {
      ids.push_back(item.as_array()[0].as_string());
    }
  }
  return ids;
}

struct Style {
  const char* fill;
  const char* border;
  const char* dot_style;  // extra DOT style
};

Style StyleOf(EventOutcome o) {
  switch (o) {
    case EventOutcome::kAccepted: return {"#d8f3dc", "#2d6a4f", ""};
    case EventOutcome::kRejected: return {"#ffc9c9", "#c92a2a", ""};
    case EventOutcome::kDropped: return {"#e9ecef", "#868e96", ",dashed"};
    case EventOutcome::kRedacted: return {"#ffd8a8", "#e8590c", ""};
    case EventOutcome::kNotJudged: return {"#fff3bf", "#e0b000", ""};
    case EventOutcome::kSoftFailed: return {"#e5dbff", "#6741d9", ""};
  }
  return {"#ffffff", "#000000", ""};
}

constexpr EventOutcome kOutcomes[] = {EventOutcome::kAccepted, EventOutcome::kRejected,
                                      EventOutcome::kDropped, EventOutcome::kRedacted,
                                      EventOutcome::kNotJudged, EventOutcome::kSoftFailed};

// A DOT identifier or CSS class suffix for an outcome ("not-judged" -> "not_judged").
std::string OutcomeIdent(EventOutcome o) {
  std::string s(ToString(o));
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

// Label lines for a node; `full` adds state key, membership and sender.
std::vector<std::string> LabelLines(const DagNode& n, bool full) {
  std::vector<std::string> lines;
  if (n.missing) {
    lines.push_back(n.short_id);
    lines.push_back("(missing)");
    return lines;
  }
  std::string first = n.short_id;
  if (n.verdict != nullptr && n.verdict->outcome != EventOutcome::kAccepted) {
    std::string o(ToString(n.verdict->outcome));
    std::transform(o.begin(), o.end(), o.begin(), [](char c) {
      return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    });
    first += " " + o;
  }
  lines.push_back(first);
  lines.push_back(Truncate(n.type, 32) + (n.tombstone ? " [tombstone]" : ""));
  if (!n.upgrade_link.empty()) lines.push_back(Truncate(n.upgrade_link, 40));
  if (!full) return lines;
  if (n.is_state) {
    std::string key = "\"" + Truncate(n.state_key, 30) + "\"";
    if (!n.membership.empty()) key += " (" + Truncate(n.membership, 12) + ")";
    lines.push_back(key);
  }
  lines.push_back(Truncate(n.sender, 32));
  return lines;
}

std::string VerdictLine(const DagNode& n) {
  if (n.missing) return n.event_id + " missing: referenced but not in the input";
  return n.verdict != nullptr ? Clean(VerdictText(*n.verdict)) : n.event_id;
}

Json VerdictDetails(const DagNode& n) {
  Json out = Json::EmptyObject();
  out.Set("node", n.node_id);
  out.Set("event_id", n.event_id);
  out.Set("short_id", n.short_id);
  out.Set("input_index", static_cast<int64_t>(n.input_index));
  if (!n.source.empty()) out.Set("source", n.source);
  out.Set("type", n.type);
  if (n.is_state) out.Set("state_key", n.state_key);
  if (!n.membership.empty()) out.Set("membership", n.membership);
  out.Set("sender", n.sender);
  if (n.depth >= 0) out.Set("depth", n.depth);
  const EventVerdict& v = *n.verdict;
  out.Set("outcome", std::string(ToString(v.outcome)));
  if (!v.stage.empty()) out.Set("stage", Clean(v.stage));
  if (!v.reason.code.empty()) {
    out.Set("code", Clean(v.reason.code));
    out.Set("message", Clean(v.reason.message));
    out.Set("error_rule", Clean(v.reason.rule));
  }
  if (!v.rule.empty()) out.Set("rule", Clean(v.rule));
  out.Set("verdict", VerdictLine(n));
  out.Set("rejected", v.outcome == EventOutcome::kRejected);
  out.Set("soft_failed", v.outcome == EventOutcome::kSoftFailed);
  out.Set("forward_extremity", n.extremity);
  out.Set("tombstone", n.tombstone);
  out.Set("rank", static_cast<int64_t>(n.rank));
  out.Set("order", static_cast<int64_t>(n.order));
  return out;
}

std::string TitleLine(const RoomReplay& replay, const Dag& dag, const DagOptions& options) {
  std::map<EventOutcome, size_t> counts;
  for (const DagNode& n : dag.nodes) {
    if (n.verdict != nullptr) ++counts[n.verdict->outcome];
  }
  std::string t = options.title;
  if (!options.room_version.empty()) t += " (room version " + Clean(options.room_version) + ")";
  t += ": " + std::to_string(dag.event_count) + " events";
  for (EventOutcome o : kOutcomes) {
    if (counts[o] > 0) t += ", " + std::to_string(counts[o]) + " " + std::string(ToString(o));
  }
  if (!options.resets.empty()) {
    t += "; " + std::to_string(options.resets.size()) + " state reset" +
         (options.resets.size() == 1 ? "" : "s");
  }
  if (!replay.signatures_checked) t += "; signatures not checked";
  return t;
}

}  // namespace

std::string ShortEventId(std::string_view event_id) {
  std::string id = Clean(event_id);
  std::string_view body = id;
  std::string prefix;
  if (!body.empty() && body[0] == '$') {
    prefix = "$";
    body.remove_prefix(1);
  }
  std::string cut = Truncate(std::string(body), 8);
  return prefix + cut;
}

std::string DotEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      default: out += c;
    }
  }
  return out;
}

Dag BuildDag(const RoomReplay& replay, std::span<const Json> events,
             std::span<const std::string> sources, bool auth_edges) {
  Dag dag;
  std::vector<bool> seen_input(events.size(), false);
  // Verdicts first (replay order), then any input without a verdict.
  std::vector<std::pair<size_t, const EventVerdict*>> order;
  for (const EventVerdict& v : replay.verdicts) {
    if (v.input_index < events.size() && !seen_input[v.input_index]) {
      seen_input[v.input_index] = true;
      order.emplace_back(v.input_index, &v);
    }
  }
  for (size_t i = 0; i < events.size(); ++i) {
    if (!seen_input[i]) order.emplace_back(i, nullptr);
  }

  // Which node an event ID refers to: prefer an event that entered the DAG;
  // among equals the later one (losing duplicates are listed first).
  std::unordered_map<std::string, std::pair<int, size_t>> by_id;  // id -> (priority, node)
  std::unordered_map<std::string, bool> extremities;
  for (const std::string& id : replay.forward_extremities) extremities[id] = true;

  for (const auto& [index, verdict] : order) {
    const Json& e = events[index];
    DagNode n;
    n.node_id = "e" + std::to_string(index);
    n.input_index = index;
    n.verdict = verdict;
    std::string raw_id;
    if (verdict != nullptr) {
      raw_id = verdict->event_id;
    } else if (const std::string* id = e.FindString("event_id")) {
      raw_id = *id;
    } else {
      raw_id = "(input " + std::to_string(index) + ")";
    }
    n.event_id = Clean(raw_id);
    n.short_id = ShortEventId(raw_id);
    if (const std::string* s = e.FindString("type")) n.type = Clean(*s);
    if (const std::string* s = e.FindString("sender")) n.sender = Clean(*s);
    if (const std::string* s = e.FindString("state_key")) {
      n.is_state = true;
      n.state_key = Clean(*s);
    }
    if (const Json* content = e.Find("content"); content != nullptr && n.type == "m.room.member") {
      if (const std::string* m = content->FindString("membership")) n.membership = Clean(*m);
    }
    if (const Json* d = e.Find("depth"); d != nullptr && d->is_integer()) n.depth = d->as_integer();
    if (index < sources.size()) n.source = Clean(sources[index]);
    n.tombstone = n.type == "m.room.tombstone";
    if (const Json* content = e.Find("content"); content != nullptr) {
      const Json* pred = n.type == "m.room.create" ? content->Find("predecessor") : nullptr;
      const std::string* to = n.tombstone ? content->FindString("replacement_room")
                              : pred      ? pred->FindString("room_id")
                                          : nullptr;
      if (to != nullptr) n.upgrade_link = (n.tombstone ? "-> " : "<- ") + Clean(*to);
    }
    n.extremity = verdict != nullptr && extremities.count(raw_id) > 0 &&
                  verdict->outcome != EventOutcome::kDropped;
    const int priority = verdict == nullptr                                ? 0
                         : verdict->outcome != EventOutcome::kDropped      ? 3
                         : verdict->stage == "identity"                    ? 1
                                                                           : 2;
    auto [it, inserted] = by_id.try_emplace(raw_id, priority, dag.nodes.size());
    if (!inserted && priority >= it->second.first) it->second = {priority, dag.nodes.size()};
    dag.nodes.push_back(std::move(n));
  }
  dag.event_count = dag.nodes.size();
  // Forward extremities held by two nodes (duplicates) mark only the chosen one.
  for (DagNode& n : dag.nodes) {
    if (n.extremity) {
      auto it = by_id.find(n.verdict->event_id);
      n.extremity = it != by_id.end() && &dag.nodes[it->second.second] == &n;
    }
  }

  // Edges, with placeholders for missing events.
  auto resolve = [&](const std::string& id, bool create) -> std::optional<size_t> {
    auto it = by_id.find(id);
    if (it != by_id.end()) return it->second.second;
    if (!create) return std::nullopt;
    DagNode m;
    m.node_id = "m" + std::to_string(dag.nodes.size() - dag.event_count);
    m.event_id = Clean(id);
    m.short_id = ShortEventId(id);
    m.missing = true;
    by_id.emplace(id, std::make_pair(-1, dag.nodes.size()));
    dag.nodes.push_back(std::move(m));
    return dag.nodes.size() - 1;
  };
  for (size_t i = 0; i < dag.event_count; ++i) {
    const Json& e = events[dag.nodes[i].input_index];
    std::vector<size_t> prev, auth;
    for (const std::string& id : ReferencedIds(e, "prev_events")) {
      if (auto n = resolve(id, true); n && *n != i &&
                                      std::find(prev.begin(), prev.end(), *n) == prev.end()) {
        prev.push_back(*n);
      }
    }
    if (auth_edges) {
      for (const std::string& id : ReferencedIds(e, "auth_events")) {
        if (auto n = resolve(id, true); n && *n != i &&
                                        std::find(auth.begin(), auth.end(), *n) == auth.end()) {
          auth.push_back(*n);
        }
      }
    }
    dag.nodes[i].prev = std::move(prev);
    dag.nodes[i].auth = std::move(auth);
  }

  // Ranks: Kahn's algorithm over prev edges; nodes on cycles go below the
  // deepest of their ranked prev events.
  const size_t count = dag.nodes.size();
  std::vector<std::vector<size_t>> children(count);
  std::vector<size_t> indegree(count, 0);
  for (size_t i = 0; i < count; ++i) {
    for (size_t p : dag.nodes[i].prev) {
      children[p].push_back(i);
      ++indegree[i];
    }
  }
  std::vector<bool> ranked(count, false);
  std::vector<size_t> queue;
  for (size_t i = 0; i < count; ++i) {
    if (indegree[i] == 0) queue.push_back(i);
  }
  for (size_t head = 0; head < queue.size(); ++head) {
    const size_t i = queue[head];
    ranked[i] = true;
    for (size_t c : children[i]) {
      dag.nodes[c].rank = std::max(dag.nodes[c].rank, dag.nodes[i].rank + 1);
      if (--indegree[c] == 0) queue.push_back(c);
    }
  }
  for (size_t i = 0; i < count; ++i) {
    if (ranked[i]) continue;
    size_t r = 0;
    for (size_t p : dag.nodes[i].prev) r = std::max(r, dag.nodes[p].rank + 1);
    dag.nodes[i].rank = r;
    ranked[i] = true;
  }
  size_t max_rank = 0;
  for (const DagNode& n : dag.nodes) max_rank = std::max(max_rank, n.rank);
  dag.ranks.assign(max_rank + 1, {});
  for (size_t i = 0; i < count; ++i) dag.ranks[dag.nodes[i].rank].push_back(i);
  // Order within a rank: by the mean position of the prev events above (one
  // barycentre pass, top down), then by node index.
  for (std::vector<size_t>& rank : dag.ranks) {
    std::vector<std::pair<double, size_t>> keyed;
    keyed.reserve(rank.size());
    for (size_t i : rank) {
      double sum = 0;
      size_t n = 0;
      for (size_t p : dag.nodes[i].prev) {
        if (dag.nodes[p].rank < dag.nodes[i].rank) {
          sum += static_cast<double>(dag.nodes[p].order);
          ++n;
        }
      }
      keyed.emplace_back(n > 0 ? sum / static_cast<double>(n) : -1.0, i);
    }
    std::stable_sort(keyed.begin(), keyed.end());
    for (size_t k = 0; k < keyed.size(); ++k) {
      rank[k] = keyed[k].second;
      dag.nodes[rank[k]].order = k;
    }
  }
  return dag;
}

std::string RenderDot(const RoomReplay& replay, std::span<const Json> events,
                      std::span<const std::string> sources, const DagOptions& options) {
  const Dag dag = BuildDag(replay, events, sources, options.auth_edges);
  const ResetMarks resets = MarkResets(dag, options.resets);
  const bool full = dag.event_count <= options.full_labels_max;
  std::string out;
  out.reserve(dag.nodes.size() * 300);
  out += "digraph room {\n";
  out += "  graph [rankdir=TB, labelloc=t, fontname=\"Helvetica\", label=\"" +
         DotEscape(TitleLine(replay, dag, options)) + "\"];\n";
  out += "  node [fontname=\"Helvetica\", fontsize=10, style=filled, penwidth=1];\n";
  out += "  edge [color=\"#495057\", arrowsize=0.6];\n";
  // Legend.
  out += "  subgraph cluster_legend {\n    label=\"legend\"; fontsize=10; color=\"#adb5bd\";\n";
  for (EventOutcome o : kOutcomes) {
    const Style s = StyleOf(o);
    out += "    legend_" + OutcomeIdent(o) +
           " [label=\"" + std::string(ToString(o)) + "\", shape=box, fillcolor=\"" + s.fill +
           "\", color=\"" + s.border + "\", style=\"filled" + s.dot_style + "\"];\n";
  }
  out += "    legend_state [label=\"state event\", shape=box, fillcolor=white];\n";
  out += "    legend_message [label=\"message\", shape=ellipse, fillcolor=white];\n";
  out += "    legend_extremity [label=\"forward extremity\", shape=box, fillcolor=white, "
         "penwidth=3];\n";
  out += "    legend_tombstone [label=\"tombstone\", shape=box, fillcolor=white, peripheries=2];\n";
  if (!options.resets.empty()) {
    out += "    legend_reset [label=\"state reset path\", shape=box, fillcolor=white, "
           "color=\"#f76707\", penwidth=3];\n";
  }
  out += "  }\n";
  for (const DagNode& n : dag.nodes) {
    std::string label;
    for (const std::string& line : LabelLines(n, full)) {
      if (!label.empty()) label += "\n";
      label += line;
    }
    out += "  " + n.node_id + " [label=\"" + DotEscape(label) + "\"";
    if (n.missing) {
      out += ", shape=box, style=\"dotted\", fillcolor=white, color=\"#868e96\"";
    } else {
      const Style s = StyleOf(n.verdict ? n.verdict->outcome : EventOutcome::kNotJudged);
      out += std::string(", shape=") + (n.is_state ? "box" : "ellipse") + ", fillcolor=\"" +
             s.fill + "\", color=\"" + s.border + "\"";
      if (*s.dot_style != '\0') out += std::string(", style=\"filled") + s.dot_style + "\"";
      if (n.extremity) out += ", penwidth=3";
      if (n.tombstone) out += ", peripheries=2";
    }
    const uint8_t role = resets.roles[&n - dag.nodes.data()];
    if (role != 0) {
      // The reset's path in orange; its merge, old and lost events named.
      out += std::string(", color=\"") + ((role & kResetMerge) ? "#d9480f" : "#f76707") +
             "\", penwidth=" + ((role & kResetMerge) ? "5" : "3");
      std::string tag = (role & kResetMerge) ? "STATE RESET"
                        : (role & kResetOld) ? "reset: old value"
                        : (role & kResetLost) ? "reset: lost value"
                                              : "";
      if (!tag.empty()) out += ", xlabel=\"" + tag + "\", fontcolor=\"#d9480f\"";
    }
    out += ", tooltip=\"" + DotEscape(VerdictLine(n)) + "\"];\n";
  }
  for (const DagNode& n : dag.nodes) {
    const size_t self = &n - dag.nodes.data();
    for (size_t p : n.prev) {
      out += "  " + dag.nodes[p].node_id + " -> " + n.node_id +
             (resets.OnPath(p, self) ? " [color=\"#f76707\", penwidth=3]" : "") + ";\n";
    }
    for (size_t a : n.auth) {
      out += "  " + dag.nodes[a].node_id + " -> " + n.node_id +
             " [style=dotted, color=\"#1c7ed6\", constraint=false];\n";
    }
  }
  out += "}\n";
  return out;
}

std::string RenderHtml(const RoomReplay& replay, std::span<const Json> events,
                       std::span<const std::string> sources, const DagOptions& options) {
  const Dag dag = BuildDag(replay, events, sources, options.auth_edges);
  const ResetMarks resets = MarkResets(dag, options.resets);
  const bool full = dag.event_count <= options.full_labels_max;
  // Geometry.
  const double w = full ? 190 : 130, h = full ? 64 : 34, gap_x = 24, gap_y = full ? 46 : 30;
  const double margin = 20, line_h = 13;
  size_t widest = 1;
  for (const auto& rank : dag.ranks) widest = std::max(widest, rank.size());
  const double width = margin * 2 + static_cast<double>(widest) * (w + gap_x) - gap_x;
  const double height =
      margin * 2 + static_cast<double>(dag.ranks.size()) * (h + gap_y) - gap_y;
  std::vector<double> cx(dag.nodes.size()), cy(dag.nodes.size());
  for (const auto& rank : dag.ranks) {
    const double offset = (static_cast<double>(widest - rank.size())) * (w + gap_x) / 2;
    for (size_t i : rank) {
      const DagNode& n = dag.nodes[i];
      cx[i] = margin + offset + static_cast<double>(n.order) * (w + gap_x) + w / 2;
      cy[i] = margin + static_cast<double>(n.rank) * (h + gap_y) + h / 2;
    }
  }
  auto num = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return std::string(buf);
  };

  // The data blob.
  Json::Array event_list, missing_list, extremity_list, problem_list;
  for (const DagNode& n : dag.nodes) {
    if (n.missing) {
      Json m = Json::EmptyObject();
      m.Set("node", n.node_id);
      m.Set("event_id", n.event_id);
      missing_list.push_back(std::move(m));
      continue;
    }
    Json d = VerdictDetails(n);
    Json::Array prev, auth;
    for (size_t p : n.prev) prev.emplace_back(dag.nodes[p].node_id);
    for (size_t a : n.auth) auth.emplace_back(dag.nodes[a].node_id);
    d.Set("prev", Json(std::move(prev)));
    if (options.auth_edges) d.Set("auth", Json(std::move(auth)));
    event_list.push_back(std::move(d));
  }
  for (const std::string& id : replay.forward_extremities) extremity_list.emplace_back(Clean(id));
  for (const Error& p : replay.problems) {
    Json e = Json::EmptyObject();
    e.Set("code", Clean(p.code));
    e.Set("message", Clean(p.message));
    e.Set("rule", Clean(p.rule));
    problem_list.push_back(std::move(e));
  }
  Json data = Json::EmptyObject();
  data.Set("title", Clean(TitleLine(replay, dag, options)));
  data.Set("room_version", Clean(options.room_version));
  data.Set("signatures_checked", replay.signatures_checked);
  data.Set("events", Json(std::move(event_list)));
  data.Set("missing", Json(std::move(missing_list)));
  data.Set("forward_extremities", Json(std::move(extremity_list)));
  data.Set("current_state", StateJson(replay.current_state));
  data.Set("problems", Json(std::move(problem_list)));
  data.Set("resets", resets.data);
  std::string blob;
  for (char c : CanonicalJson(data)) {
    if (c == '<') {
      blob += "\\u003c";  // only inside strings; keeps "</script>" out
    } else {
      blob += c;
    }
  }

  std::string out;
  out.reserve(dag.nodes.size() * 900 + blob.size() + 8192);
  const std::string title = vectors::XmlEscape(TitleLine(replay, dag, options));
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
         title + "</title>\n";
  out += R"(<style>
body{margin:0;font:13px/1.4 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#212529;background:#fff}
header{padding:8px 16px;border-bottom:1px solid #dee2e6;position:sticky;top:0;background:#fff;z-index:2}
h1{font-size:16px;margin:0 0 4px}
h2{font-size:14px;margin:16px 0 6px}
.legend span{display:inline-block;margin-right:12px}
.legend i{display:inline-block;width:14px;height:11px;border:1.5px solid;vertical-align:-1px;margin-right:4px}
#wrap{display:flex;align-items:flex-start}
#graph{flex:1;overflow:auto;max-height:80vh;border-right:1px solid #dee2e6}
#panel{width:340px;padding:8px 12px;position:sticky;top:60px;font-size:12px;word-break:break-all}
#panel dt{font-weight:600;margin-top:4px}
#panel dd{margin:0 0 2px 8px}
svg text{font:11px ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;pointer-events:none}
svg text.t1{font-weight:700}
.node{cursor:pointer}
.node .s{stroke-width:1.5}
.node.ext .s{stroke-width:4}
.node.sel .s{stroke:#000;stroke-width:3}
.o-accepted .s{fill:#d8f3dc;stroke:#2d6a4f}
.o-rejected .s{fill:#ffc9c9;stroke:#c92a2a}
.o-dropped .s{fill:#e9ecef;stroke:#868e96;stroke-dasharray:5 3}
.o-redacted .s{fill:#ffd8a8;stroke:#e8590c}
.o-not-judged .s{fill:#fff3bf;stroke:#e0b000}
.o-soft-failed .s{fill:#e5dbff;stroke:#6741d9;stroke-dasharray:8 2 2 2}
.tomb .s2{fill:none;stroke:#000;stroke-width:1}
.ghost .s{fill:#fff;stroke:#868e96;stroke-dasharray:2 2}
.rs-path .s{stroke:#f76707;stroke-width:4}
.rs-merge .s{stroke:#d9480f;stroke-width:6}
.rs-old .s,.rs-lost .s{stroke-width:5}
svg text.badge{font-weight:700;fill:#d9480f}
.e.rs{stroke:#f76707;stroke-width:3.5}
#status{margin:2px 0;color:#495057}
li.reset-item{cursor:pointer}
.e{fill:none;stroke:#868e96;stroke-width:1.2}
.a{fill:none;stroke:#1c7ed6;stroke-width:1;stroke-dasharray:2 3}
body.noauth .a{display:none}
table{border-collapse:collapse;font-size:12px}
td,th{border:1px solid #dee2e6;padding:2px 6px;text-align:left}
td.id{font-family:ui-monospace,monospace}
section{padding:0 16px 16px}
</style>
</head>
<body>
<header>
)";
  out += "<h1>" + title + "</h1>\n<div class=\"legend\">";
  for (EventOutcome o : kOutcomes) {
    const Style s = StyleOf(o);
    out += std::string("<span><i style=\"background:") + s.fill + ";border-color:" + s.border +
           (o == EventOutcome::kDropped ? ";border-style:dashed" : "") + "\"></i>" +
           std::string(ToString(o)) + "</span>";
  }
  out += "<span><i style=\"border-color:#000\"></i>state event (box)</span>"
         "<span><i style=\"border-color:#000;border-radius:50%\"></i>message (ellipse)</span>"
         "<span><i style=\"border-color:#000;border-width:3px\"></i>forward extremity</span>"
         "<span><i style=\"border-color:#000;border-style:double;border-width:4px\"></i>"
         "tombstone</span>"
         "<span><i style=\"border-color:#868e96;border-style:dotted\"></i>missing</span>"
         "<span>&#8595; prev_events edge</span>"
         "<span><i style=\"border-color:#f76707;border-width:3px\"></i>state reset path</span>";
  if (options.auth_edges) {
    out += "<span><label><input type=\"checkbox\" id=\"authtoggle\" checked> auth_events edges "
           "(dotted blue)</label></span>";
  }
  if (!full) {
    out += "<span>(" + std::to_string(dag.event_count) +
           " events: labels shortened; click a node for details)</span>";
  }
  out += "</div>\n<p id=\"status\">(the page's script has not run)</p>\n</header>\n"
         "<div id=\"wrap\">\n<div id=\"graph\">\n";
  out += "<svg id=\"dag\" width=\"" + num(width) + "\" height=\"" + num(height) +
         "\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\" role=\"img\">\n";
  // Edges first, under the nodes.
  out += "<g id=\"edges\">\n";
  auto edge = [&](size_t from, size_t to, const char* cls) {
    const double x1 = cx[from], y1 = cy[from] + h / 2, x2 = cx[to], y2 = cy[to] - h / 2;
    const double dy = std::max(20.0, (y2 - y1) / 2);
    out += std::string("<path class=\"") + cls + "\" d=\"M" + num(x1) + " " + num(y1) + "C" +
           num(x1) + " " + num(y1 + dy) + " " + num(x2) + " " + num(y2 - dy) + " " + num(x2) +
           " " + num(y2) + "\" marker-end=\"url(#" + (std::string(cls) == "e rs" ? "arr-rs" : "arr") +
           ")\"/>\n";
  };
  for (size_t i = 0; i < dag.nodes.size(); ++i) {
    for (size_t p : dag.nodes[i].prev) edge(p, i, resets.OnPath(p, i) ? "e rs" : "e");
    for (size_t a : dag.nodes[i].auth) edge(a, i, "a");
  }
  // Arrowheads in user units, so thick (reset) edges keep small heads.
  out += "</g>\n<defs><marker id=\"arr\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" "
         "markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto\">"
         "<path d=\"M0 0L8 4L0 8z\" fill=\"#868e96\"/></marker>"
         "<marker id=\"arr-rs\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" "
         "markerUnits=\"userSpaceOnUse\" markerWidth=\"11\" markerHeight=\"11\" orient=\"auto\">"
         "<path d=\"M0 0L8 4L0 8z\" fill=\"#f76707\"/></marker></defs>\n<g id=\"nodes\">\n";
  for (size_t i = 0; i < dag.nodes.size(); ++i) {
    const DagNode& n = dag.nodes[i];
    std::string cls;
    if (n.missing) {
      cls = "ghost";
    } else {
      cls = "node o-" + std::string(ToString(n.verdict ? n.verdict->outcome
                                                       : EventOutcome::kNotJudged));
      cls += n.is_state ? " state" : " msg";
      if (n.extremity) cls += " ext";
      if (n.tombstone) cls += " tomb";
    }
    const uint8_t role = resets.roles[i];
    if (role & kResetPath) cls += " rs-path";
    if (role & kResetMerge) cls += " rs-merge";
    if (role & kResetOld) cls += " rs-old";
    if (role & kResetLost) cls += " rs-lost";
    if (role & kResetSide) cls += " rs-side";
    const double x = cx[i] - w / 2, y = cy[i] - h / 2;
    out += "<g class=\"" + cls + "\" id=\"n-" + n.node_id + "\" data-n=\"" + n.node_id +
           "\"><title>" + vectors::XmlEscape(VerdictLine(n)) + "</title>";
    if (n.is_state || n.missing) {
      out += "<rect class=\"s\" x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) +
             "\" height=\"" + num(h) + "\" rx=\"3\"/>";
      if (n.tombstone) {
        out += "<rect class=\"s2\" x=\"" + num(x + 3) + "\" y=\"" + num(y + 3) + "\" width=\"" +
               num(w - 6) + "\" height=\"" + num(h - 6) + "\" rx=\"2\"/>";
      }
    } else {
      out += "<ellipse class=\"s\" cx=\"" + num(cx[i]) + "\" cy=\"" + num(cy[i]) + "\" rx=\"" +
             num(w / 2) + "\" ry=\"" + num(h / 2) + "\"/>";
      if (n.tombstone) {
        out += "<ellipse class=\"s2\" cx=\"" + num(cx[i]) + "\" cy=\"" + num(cy[i]) +
               "\" rx=\"" + num(w / 2 - 3) + "\" ry=\"" + num(h / 2 - 3) + "\"/>";
      }
    }
    const char* badge = (role & kResetMerge) ? "STATE RESET"
                        : (role & kResetOld) ? "reset: old value"
                        : (role & kResetLost) ? "reset: lost value"
                                              : nullptr;
    if (badge != nullptr) {
      out += "<text class=\"badge\" x=\"" + num(cx[i]) + "\" y=\"" + num(y - 7) +
             "\" text-anchor=\"middle\">" + badge + "</text>";
    }
    const std::vector<std::string> lines = LabelLines(n, full);
    double ty = cy[i] - (static_cast<double>(lines.size()) - 1) * line_h / 2 + 4;
    for (size_t k = 0; k < lines.size(); ++k, ty += line_h) {
      out += "<text" + std::string(k == 0 ? " class=\"t1\"" : "") + " x=\"" + num(cx[i]) +
             "\" y=\"" + num(ty) + "\" text-anchor=\"middle\">" +
             vectors::XmlEscape(Truncate(lines[k], full ? 26 : 18)) + "</text>";
    }
    out += "</g>\n";
  }
  out += "</g>\n</svg>\n</div>\n<aside id=\"panel\"><b>Event details</b><p>Click an event "
         "(hover for its verdict line).</p></aside>\n</div>\n";

  // Current state and problems.
  out += "<section>\n<h2>Forward extremities</h2>\n<p>";
  if (replay.forward_extremities.empty()) out += "none";
  for (const std::string& id : replay.forward_extremities) {
    out += "<code>" + vectors::XmlEscape(Clean(id)) + "</code> ";
  }
  out += "</p>\n<h2>Current state</h2>\n<table id=\"state\"><tr><th>type</th><th>state_key</th>"
         "<th>event</th></tr>\n";
  for (const auto& [key, id] : replay.current_state) {
    out += "<tr><td>" + vectors::XmlEscape(Clean(key.type)) + "</td><td>" +
           vectors::XmlEscape(Clean(key.state_key)) + "</td><td class=\"id\">" + vectors::XmlEscape(Clean(id)) +
           "</td></tr>\n";
  }
  out += "</table>\n<h2>State resets</h2>\n<ol id=\"resets\"></ol>\n<h2>Problems</h2>\n";
  if (replay.problems.empty()) {
    out += "<p>none</p>\n";
  } else {
    out += "<ul id=\"problems\">\n";
    for (const Error& p : replay.problems) {
      out += "<li>" + vectors::XmlEscape(Clean(p.ToString())) + "</li>\n";
    }
    out += "</ul>\n";
  }
  out += "</section>\n<script type=\"application/json\" id=\"mxstate-dag-data\">" + blob +
         "</script>\n";
  out += R"(<script>
(function(){
  var data = JSON.parse(document.getElementById('mxstate-dag-data').textContent);
  var byNode = {};
  data.events.forEach(function(e){ byNode[e.node] = e; });
  data.missing.forEach(function(e){ byNode[e.node] = {node:e.node, event_id:e.event_id, verdict:'missing: referenced but not in the input'}; });
  var panel = document.getElementById('panel');
  var selected = null;
  var fields = ['event_id','verdict','outcome','stage','code','message','error_rule','rule','type','state_key','membership','sender','depth','source','forward_extremity','tombstone','prev','auth'];
  function show(id){
    var e = byNode[id]; if (!e) return;
    if (selected) selected.classList.remove('sel');
    selected = document.getElementById('n-' + id);
    if (selected) selected.classList.add('sel');
    panel.textContent = '';
    var b = document.createElement('b'); b.textContent = 'Event details'; panel.appendChild(b);
    var dl = document.createElement('dl');
    fields.forEach(function(f){
      if (e[f] === undefined) return;
      var dt = document.createElement('dt'); dt.textContent = f;
      var dd = document.createElement('dd');
      var v = e[f];
      if (Array.isArray(v)) v = v.map(function(n){ return byNode[n] ? byNode[n].event_id : n; }).join('\n');
      dd.textContent = String(v); dd.style.whiteSpace = 'pre-wrap';
      dl.appendChild(dt); dl.appendChild(dd);
    });
    panel.appendChild(dl);
  }
  document.getElementById('dag').addEventListener('click', function(ev){
    var g = ev.target.closest ? ev.target.closest('g[data-n]') : null;
    if (g) show(g.getAttribute('data-n'));
  });
  // What the page shows: a status line and the list of state resets, built
  // from the data (a browser test checks them, so a broken script shows).
  var counts = {};
  data.events.forEach(function(e){ counts[e.outcome] = (counts[e.outcome] || 0) + 1; });
  var parts = Object.keys(counts).sort().map(function(k){ return counts[k] + ' ' + k; });
  var status = document.getElementById('status');
  status.textContent = 'drawn: ' + document.querySelectorAll('#nodes g.node').length +
    ' events (' + parts.join(', ') + '); ' + data.resets.length + ' state reset(s) highlighted';
  status.setAttribute('data-ready', '1');
  var list = document.getElementById('resets');
  if (data.resets.length === 0) {
    var none = document.createElement('li'); none.textContent = 'none'; list.appendChild(none);
  }
  data.resets.forEach(function(r){
    var li = document.createElement('li');
    li.className = 'reset-item';
    li.textContent = r.line + (r.cause ? ' (' + r.cause + ')' : '');
    li.addEventListener('click', function(){
      var g = null;
      data.events.forEach(function(e){ if (e.event_id === r.merge) g = e.node; });
      if (g) show(g);
    });
    list.appendChild(li);
  });
  var t = document.getElementById('authtoggle');
  if (t) t.addEventListener('change', function(){ document.body.classList.toggle('noauth', !t.checked); });
})();
</script>
</body>
</html>
)";
  return out;
}

}  // namespace mxstate::cli
