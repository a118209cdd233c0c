// Rendering a replayed room's event DAG for `mxstate dag`: pure functions
// from a ReplayRoom result and the room's events to text (Graphviz DOT, or
// one self-contained HTML page with an inline SVG laid out here).
//
// Nodes are the events (one per input event, keyed by input index, so two
// different events with the same ID stay two nodes) plus a placeholder for
// every event that is referenced but not in the input. Edges go from each
// prev event to the event that cites it (and, with auth_edges, from each
// auth event), so the oldest events are on top. The rank of an event is its
// topological depth: 0 for events with no known prev event, else one more
// than the deepest of its prev events.
#ifndef MXSTATE_TOOLS_CLI_DAG_RENDER_H_
#define MXSTATE_TOOLS_CLI_DAG_RENDER_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/json.h"
#include "mxstate/room_diff.h"
#include "mxstate/room_replay.h"

namespace mxstate::cli {

struct DagOptions {
  bool auth_edges = false;        // draw auth_events edges (dotted)
  size_t full_labels_max = 2000;  // larger rooms get short labels (ID and type)
  std::string room_version;       // shown in the title
  std::string title = "mxstate room DAG";
  std::vector<StateReset> resets;  // highlighted with their paths (dag_resets.h)
};

struct DagNode {
  std::string node_id;   // "e<input index>" for events, "m<n>" for missing ones
  std::string event_id;  // sanitised UTF-8
  std::string short_id;  // first 8 characters after '$' and "…"
  std::string type, state_key, membership, sender, source;
  bool missing = false;  // referenced but not in the input
  bool is_state = false, extremity = false, tombstone = false;
  // Room upgrades: "-> !new" (tombstone's replacement_room), "<- !old" (create's predecessor).
  std::string upgrade_link;
  const EventVerdict* verdict = nullptr;  // null for missing events
  int64_t depth = -1;                     // the event's depth field, -1 when absent
  size_t input_index = 0;
  size_t rank = 0, order = 0;  // topological depth; position within the rank
  std::vector<size_t> prev, auth;  // node indices, without repeats
};

struct Dag {
  std::vector<DagNode> nodes;          // events in verdict order, then missing ones
  std::vector<std::vector<size_t>> ranks;  // node indices per rank, in order
  size_t event_count = 0;              // nodes that are events (not missing)
};

// Builds the graph. `sources` (optional, per input index) names where each
// event came from. Missing auth events get placeholders only with auth_edges.
Dag BuildDag(const RoomReplay& replay, std::span<const Json> events,
             std::span<const std::string> sources, bool auth_edges);

// "$abcdefgh…" (IDs without '$' are shortened the same way).
std::string ShortEventId(std::string_view event_id);
// Escapes for a DOT double-quoted string: backslash, quote, newlines.
std::string DotEscape(std::string_view text);
// HTML/SVG text and attribute values are escaped with vectors::XmlEscape
// (vectors/text_util.h), shared with the JUnit output.

// Graphviz DOT text: `digraph room { ... }`.
std::string RenderDot(const RoomReplay& replay, std::span<const Json> events,
                      std::span<const std::string> sources, const DagOptions& options);

// One HTML page: inline CSS, JS and SVG, a legend, a details panel, the
// current state and problems, and the data as
// <script type="application/json" id="mxstate-dag-data">.
std::string RenderHtml(const RoomReplay& replay, std::span<const Json> events,
                       std::span<const std::string> sources, const DagOptions& options);

}  // namespace mxstate::cli

#endif  // MXSTATE_TOOLS_CLI_DAG_RENDER_H_
