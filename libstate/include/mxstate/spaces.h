// Spaces (client-server API "Spaces", MSC1772): a space hierarchy read from
// the states of the rooms given, with each m.space.child / m.space.parent
// event validated against its schema, children in the spec's display
// order, parent claims judged by the spec's two conditions, and the
// inconsistencies an admin wants to see. Pure; the rooms not given are
// reported, never fetched.
#ifndef MXSTATE_SPACES_H_
#define MXSTATE_SPACES_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/restricted_join.h"
#include "mxstate/room_state.h"
#include "mxstate/status.h"

namespace mxstate {

// One m.space.child event in a space.
struct SpaceChild {
  std::string space_id;            // the room holding the event
  std::string child_id;            // its state_key
  bool valid = false;              // via is a non-empty array of strings
  std::vector<std::string> via;
  std::optional<std::string> order;  // only when valid (\x20-\x7E, 1-50 chars)
  bool suggested = false;
  int64_t origin_server_ts = 0;
  bool child_given = false;        // the child room's state was supplied
  bool child_links_back = false;   // the child has a valid m.space.parent for this space
};

// How a parent claim stands (spaces "m.space.parent relationships").
enum class ParentBacking {
  kChildEvent,     // the parent space has a valid m.space.child for this room
  kSenderPower,    // the sender may send m.space.child in the parent space
  kUnbacked,       // neither: the claim must be ignored
  kParentNotGiven, // the parent's state was not supplied: assumed invalid
  kInvalid,        // via missing or invalid: not a parent at all
};
std::string_view ToString(ParentBacking b);

struct SpaceParent {
  std::string room_id;    // the room holding the event
  std::string parent_id;  // its state_key
  std::string sender;
  bool valid = false;     // via is a non-empty array of strings
  std::vector<std::string> via;
  bool canonical = false;
  ParentBacking backing = ParentBacking::kInvalid;
};

// One node of the hierarchy walk (depth-first, spaces before rooms as
// GET /hierarchy does, loops broken). A room reached again (a grandchild of
// two spaces, say) is listed each time but expanded once, so the walk is
// linear in the links.
struct HierarchyNode {
  std::string room_id;
  size_t depth = 0;
  bool is_space = false;      // create content.type == "m.space"
  bool given = false;         // its state was supplied
  bool suggested = false;
  bool loop = false;          // already on the path: not descended into
  bool repeated = false;      // already expanded elsewhere: listed, not expanded again
};

// A restricted room the user's memberships open (or not).
struct OpenedRoom {
  std::string room_id;
  RestrictedJoinDecision decision;
};

struct SpaceReport {
  std::vector<SpaceChild> children;    // per space, in the spec's order
  std::vector<SpaceParent> parents;    // by room, then parent ID
  std::vector<HierarchyNode> hierarchy;
  std::vector<Error> problems;         // code spaces.*, the rule, the rooms
  std::vector<OpenedRoom> opened;      // restricted rooms, for `user`
};

inline constexpr size_t kMaxHierarchyDepth = 64;
inline constexpr size_t kMaxHierarchyNodes = 100'000;

// Reads every given room. `roots`: where to start the hierarchy (empty:
// every given space no valid given parent claims). `user`: when non-empty,
// each given restricted room is decided for them against all given rooms.
SpaceReport AnalyseSpaces(std::span<const NamedRoom> rooms, std::span<const std::string> roots,
                          std::string_view user);

// `order` is valid: 1-50 characters, each 0x20-0x7E (m.space.child schema).
bool IsValidSpaceOrder(std::string_view order);

}  // namespace mxstate

#endif  // MXSTATE_SPACES_H_
