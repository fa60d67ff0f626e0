"""The analysis runs on the network's actors: people and bodies the texts set outside the
network (officials, journalists, experts, victims, state bodies, media) are left out by
default, unless a stated tie puts them inside; ``everyone`` keeps them all."""

from __future__ import annotations

from threadline.analyze.network import ViewOptions, build_network, network_view
from threadline.model import Entity, Evidence, Tie

EV = Evidence("d1", 0, 10, "a quote", "test", 0.9)


def _entity(id_: str, schema: str, role: str | None) -> Entity:
    return Entity(id_, schema, id_.title(), [id_], [], [], data={"role": role} if role else {})


def _network() -> object:
    entities = [
        _entity("cell", "Organization", "network"),
        _entity("ana", "Person", "network"),
        _entity("bo", "Person", "network"),
        _entity("reporter", "Person", "journalist"),
        _entity("agency", "Organization", "media"),
        _entity("minister", "Person", "official"),
        # a role cue said "commander", but the text states he leads the cell
        _entity("chief", "Person", "official"),
        _entity("listed", "Person", None),  # from a record: no role
    ]
    ties = [
        Tie("t1", "member_of", "ana", "cell", "", 0.9, [EV]),
        Tie("t2", "associate", "ana", "bo", "", 0.9, [EV]),
        Tie("t3", "other", "reporter", "ana", "interviewed", 0.9, [EV]),
        Tie("t4", "member_of", "reporter", "agency", "", 0.9, [EV]),
        Tie("t5", "other", "minister", "bo", "named", 0.9, [EV]),
        Tie("t6", "leader_of", "chief", "cell", "", 0.9, [EV]),
        Tie("t7", "communicated_with", "listed", "bo", "", 0.9, [EV]),
    ]
    return build_network(entities, ties)


def test_the_default_view_holds_the_networks_actors() -> None:
    view = network_view(_network())  # type: ignore[arg-type]
    assert set(view.ids) == {"cell", "ana", "bo", "chief", "listed"}
    assert view.left_out["not_network"] == 3  # the reporter's two ties, the minister's one


def test_everyone_keeps_officials_journalists_and_media() -> None:
    view = network_view(_network(), ViewOptions(everyone=True))  # type: ignore[arg-type]
    assert {"reporter", "agency", "minister"} <= set(view.ids)
    assert "not_network" not in view.left_out


def test_triage_targets_people_only_even_when_a_group_is_the_hub() -> None:
    from threadline.analyze.triage import plan_surveillance

    # a group every member belongs to is the most central vertex; officers watch people
    people = [f"p{i}" for i in range(8)]
    entities = [_entity("group", "Organization", "network")]
    entities += [_entity(p, "Person", "network") for p in people]
    ties = [Tie(f"m{p}", "member_of", p, "group", "", 0.9, [EV]) for p in people]
    ties += [Tie("a1", "associate", "p0", "p1", "", 0.9, [EV])]
    ties += [Tie("a2", "associate", "p2", "p3", "", 0.9, [EV])]
    view = network_view(build_network(entities, ties))
    for mode in ("neg", "pos"):
        plan = plan_surveillance(view, officers=50, mode=mode)
        assert plan.targets and all(t.id.startswith("p") for t in plan.targets)
        assert plan.partial is None or plan.partial.id.startswith("p")
        assert all(x.startswith("p") for x in plan.top_betweenness)
