#include "cli/dag_resets.h"

#include <optional>
#include <string>
#include <unordered_map>

namespace mxstate::cli {
namespace {

// Nodes reachable from `from` along `next` (including `from`).
std::vector<uint8_t> Reach(const std::vector<std::vector<size_t>>& next,
                           const std::vector<size_t>& from) {
  std::vector<uint8_t> seen(next.size(), 0);
  std::vector<size_t> stack = from;
  while (!stack.empty()) {
    size_t n = stack.back();
    stack.pop_back();
    if (seen[n]) continue;
    seen[n] = 1;
    for (size_t m : next[n]) stack.push_back(m);
  }
  return seen;
}

}  // namespace

ResetMarks MarkResets(const Dag& dag, std::span<const StateReset> resets) {
  ResetMarks marks;
  marks.roles.assign(dag.nodes.size(), 0);
  marks.data = Json::EmptyArray();
  if (resets.empty()) return marks;
  // Event ID -> node: events that entered the DAG win over dropped copies.
  std::unordered_map<std::string, size_t> node_of;
  for (size_t i = 0; i < dag.nodes.size(); ++i) {
    const DagNode& n = dag.nodes[i];
    const bool in_dag = n.verdict != nullptr && n.verdict->outcome != EventOutcome::kDropped;
    auto [it, inserted] = node_of.emplace(n.event_id, i);
    if (!inserted && in_dag) it->second = i;
  }
  std::vector<std::vector<size_t>> parents(dag.nodes.size()), children(dag.nodes.size());
  for (size_t i = 0; i < dag.nodes.size(); ++i) {
    for (size_t p : dag.nodes[i].prev) {
      parents[i].push_back(p);
      children[p].push_back(i);
    }
  }
  auto find = [&](const std::string& id) -> std::optional<size_t> {
    auto it = node_of.find(id);
    return it == node_of.end() ? std::nullopt : std::optional<size_t>(it->second);
  };
  Json::Array list;
  for (const StateReset& r : resets) {
    std::vector<size_t> targets;  // the merge, or the resolved extremities
    if (!r.merge_event.empty()) {
      if (auto m = find(r.merge_event)) targets.push_back(*m);
    } else {
      for (const std::string& s : r.sides) {
        if (auto m = find(s)) targets.push_back(*m);
      }
    }
    std::optional<size_t> old = r.resolved.empty() ? std::nullopt : find(r.resolved);
    Json entry = Json::EmptyObject();
    entry.Set("merge", r.merge_event);
    entry.Set("type", r.key.type);
    entry.Set("state_key", r.key.state_key);
    entry.Set("kind", std::string(ToString(r.kind)));
    entry.Set("category", r.category);
    entry.Set("old", r.resolved);
    entry.Set("cause", r.cause);
    Json::Array lost, sides, path;
    for (size_t s = 0; s < r.sides.size(); ++s) {
      sides.emplace_back(r.sides[s]);
      if (auto n = find(r.sides[s])) marks.roles[*n] |= kResetSide;
      const std::string& value = s < r.side_values.size() ? r.side_values[s] : std::string();
      if (!value.empty() && value != r.resolved) {
        bool listed = false;
        for (const Json& l : lost) listed = listed || l.as_string() == value;
        if (!listed) lost.emplace_back(value);
        if (auto n = find(value)) marks.roles[*n] |= kResetLost;
      }
    }
    for (size_t t : targets) marks.roles[t] |= kResetMerge;
    if (old) marks.roles[*old] |= kResetOld;
    // The path: descendants of the old event that are ancestors of the
    // merge (through prev_events); without an old event (dropped key), the
    // lost values stand in for it.
    std::vector<size_t> from;
    if (old) {
      from.push_back(*old);
    } else {
      for (const Json& l : lost) {
        if (auto n = find(l.as_string())) from.push_back(*n);
      }
    }
    const std::vector<uint8_t> down = Reach(children, from);
    const std::vector<uint8_t> up = Reach(parents, targets);
    for (size_t i = 0; i < dag.nodes.size(); ++i) {
      if (down[i] && up[i]) {
        marks.roles[i] |= kResetPath;
        path.emplace_back(dag.nodes[i].node_id);
      }
    }
    const std::string where =
        r.merge_event.empty() ? std::string("the forward extremities") : r.merge_event;
    std::string line = "state reset at " + where + ": " + r.key.type + " \"" + r.key.state_key + "\" " +
                       std::string(ToString(r.kind)) + " to " +
                       (r.resolved.empty() ? std::string("nothing") : r.resolved);
    if (!lost.empty()) {
      line += "; lost:";
      for (const Json& l : lost) line += " " + l.as_string();
    }
    marks.lines.push_back(line);
    entry.Set("lost", Json(std::move(lost)));
    entry.Set("sides", Json(std::move(sides)));
    entry.Set("path", Json(std::move(path)));
    entry.Set("line", line);
    list.push_back(std::move(entry));
  }
  marks.data = Json(std::move(list));
  return marks;
}

}  // namespace mxstate::cli
