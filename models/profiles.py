"""Mutation profiles: named, documented sets of parameter changes applied to a circuit spec.

A :class:`Profile` is a tuple of :class:`ProfileChange` objects; each change
says which dotted spec name it moves (``connections.ia_to_mn.weight_scale``),
how (``"scale"``: multiply; ``"add"``: add), by how much at full effect,
which component of the reflex arc it belongs to, what the evidence for it is,
and whether it is a hypothesis. :func:`apply_profile` applies a profile to a
:class:`~cordsim.models.circuit.CircuitSpec` at a graded strength
(``scale`` 0 = wild type, 1 = full effect), optionally only some of its
changes, so a sweep can test each change alone. Nothing else in cordsim edits
parameters for a mutation.

Evidence
--------
The only readable source on the spinal Tor1a knockout is the abstract of
Pocratsky et al. 2023 ("Pocratsky23 abstract"; see section e of the
reference targets) and a commentary: a conditional knockout of Tor1a in spinal
cord and DRG gives early-onset generalised dystonia with spontaneous
contractions at rest and excessive, disorganised contractions during movement;
isolated juvenile cords show spontaneous activity, disorganised motor output
and impaired monosynaptic reflexes; "all components" of the reflex arc,
including motor neurons, are affected; a DRG-only knockout did not lead to
early-onset dystonia. No effect sizes, and for most components no direction,
could be read. **Every change below is therefore a hypothesis**
(``hypothesis=True``): both its magnitude and, for the motor neuron and
interneuron changes, its direction are choices made to be tested by sweeps,
not measurements.

Profiles
--------
``wild_type``
    No change.
``tor1a_spinal_drg``
    The paper's knockout (spinal cord + DRG): afferent, Ia synapse, motor
    neuron and (as a separate, testable change) reciprocal-inhibition changes.
``tor1a_drg_only``
    Only the DRG side: the afferents and the transmission of their Ia
    terminals; nothing in spinal neurons.

``profile_table()`` lists every change (the README's table).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.models.circuit import MUSCLES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cordsim.models.circuit import CircuitSpec

__all__ = [
    "COMPONENTS",
    "OPS",
    "PROFILES",
    "Profile",
    "ProfileChange",
    "apply_profile",
    "get_profile",
    "profile_table",
    "profile_values",
]

#: Components of the reflex arc a change can belong to.
COMPONENTS = ("afferent", "ia_synapse", "motor_neuron", "interneuron")
#: Operations: "scale" multiplies the current value, "add" adds to it.
OPS = ("scale", "add")
#: The muscles a ``{muscle}`` placeholder in a target expands to.
PLACEHOLDER_MUSCLES = MUSCLES


def _expand(target: str) -> tuple[str, ...]:
    """A target with its ``{muscle}`` placeholder expanded to both muscles."""
    if "{muscle}" not in target:
        return (target,)
    return tuple(target.format(muscle=m) for m in PLACEHOLDER_MUSCLES)


@dataclass(frozen=True)
class ProfileChange:
    """One parameter change of a mutation profile.

    Attributes
    ----------
    name : str
        Short id, unique within a profile (e.g. ``"ia_synapse_weight"``).
    target : str
        Dotted spec name (e.g. ``"connections.ia_to_mn.weight_scale"``). A
        ``{muscle}`` placeholder (``"afferents.{muscle}.conduction_delay_ms"``)
        applies the change to the flexor and the extensor.
    op : {"scale", "add"}
        ``"scale"`` multiplies the current value by ``1 + s * (amount - 1)``;
        ``"add"`` adds ``s * amount`` (``s``: the profile scale, 0-1).
    amount : float
        Full-effect factor (``"scale"``, dimensionless, >= 0) or increment
        (``"add"``, in the target's unit).
    component : {"afferent", "ia_synapse", "motor_neuron", "interneuron"}
        The part of the reflex arc the change acts on.
    evidence : str
        What the source reports, in direction ("Pocratsky23 abstract: ..."),
        or "none".
    hypothesis : bool
        True where the magnitude or the change itself is not measured.
    where_present : tuple of str
        More targets (``{muscle}`` allowed) the change also sets in specs
        that have them, and skips in those that do not: the heteronymous Ia
        fibres and their synapses of the isolated-cord preparation
        (``afferents.iah_{muscle}...``, ``connections.iah_to_mn...``), which
        a knockout of the dorsal root ganglia reaches as it reaches the
        homonymous ones.
    """

    name: str
    target: str
    op: str
    amount: float
    component: str
    evidence: str
    hypothesis: bool = True
    where_present: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise ParameterError(
                f"change {self.name!r}: " + unknown_name_message("op", self.op, OPS)
            )
        if self.component not in COMPONENTS:
            raise ParameterError(
                f"change {self.name!r}: "
                + unknown_name_message("component", self.component, COMPONENTS)
            )
        amount = self.amount
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            raise ParameterError(f"change {self.name!r}: amount {amount!r} must be a number")
        if not math.isfinite(amount) or (self.op == "scale" and amount < 0):
            raise ParameterError(
                f"change {self.name!r}: amount {amount!r} must be finite (and >= 0 to scale)"
            )
        bad = self.target.replace("{muscle}", "")
        if "{" in bad or "}" in bad:
            raise ParameterError(
                f"change {self.name!r}: target {self.target!r} may only hold a {{muscle}} "
                "placeholder"
            )

    def targets(self) -> tuple[str, ...]:
        """The dotted names this change sets (``{muscle}`` expanded to both muscles)."""
        return _expand(self.target)

    def optional_targets(self) -> tuple[str, ...]:
        """The ``where_present`` names, expanded (set only where the spec has them)."""
        return tuple(name for target in self.where_present for name in _expand(target))

    def factor(self, scale: float) -> float:
        """Effective multiplier (``"scale"``) or increment (``"add"``) at ``scale`` (0-1)."""
        if scale == 1.0:
            return float(self.amount)
        if self.op == "scale":
            return 1.0 + scale * (self.amount - 1.0)
        return scale * self.amount

    def new_value(self, current: Any, scale: float) -> Any:
        """The target's value after the change at ``scale``, from its ``current`` value.

        Whole-number targets (counts) are rounded to the nearest integer.
        """
        if isinstance(current, bool) or not isinstance(current, int | float):
            raise ParameterError(
                f"change {self.name!r}: target {self.target!r} holds {current!r}, not a number"
            )
        f = self.factor(scale)
        value = current * f if self.op == "scale" else current + f
        return int(round(value)) if isinstance(current, int) else float(value)


@dataclass(frozen=True)
class Profile:
    """A named mutation profile: a documented tuple of :class:`ProfileChange`.

    Attributes
    ----------
    name : str
        Profile id (e.g. ``"tor1a_spinal_drg"``).
    description : str
        One paragraph: what the profile models and on what evidence.
    changes : tuple of ProfileChange
        Applied in order (changes to the same target compose).
    """

    name: str
    description: str
    changes: tuple[ProfileChange, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", tuple(self.changes))
        names = [c.name for c in self.changes]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ParameterError(f"profile {self.name!r}: duplicate change name(s) {dupes}")

    def change_names(self) -> tuple[str, ...]:
        """Names of the changes, in order."""
        return tuple(c.name for c in self.changes)

    def select(self, only: str | Sequence[str] | None) -> tuple[ProfileChange, ...]:
        """The changes named in ``only`` (all when None), in profile order.

        Raises
        ------
        ParameterError
            For a name that is not a change of this profile (with the closest).
        """
        if only is None:
            return self.changes
        wanted = (only,) if isinstance(only, str) else tuple(only)
        valid = self.change_names()
        for name in wanted:
            if name not in valid:
                raise ParameterError(
                    unknown_name_message(f"change of profile {self.name!r}", name, valid)
                    if valid
                    else f"profile {self.name!r} has no changes; cannot select {name!r}"
                )
        return tuple(c for c in self.changes if c.name in wanted)


# --------------------------------------------------------------------------- evidence text
_ARC = (
    "Pocratsky23 abstract: knockout in spinal cord + DRG; 'all components' of the "
    "monosynaptic reflex arc affected and the monosynaptic reflex impaired in juvenile "
    "isolated cords"
)
_SPONT = (
    "Pocratsky23 abstract: spontaneous contractions at rest and spontaneous activity in "
    "isolated cords; where the activity starts is not given"
)
_MN = (
    "Pocratsky23 abstract: motor neurons are among the affected components; the direction "
    "is not given. Raised intrinsic excitability is chosen because it fits spontaneous "
    "contractions at rest and spontaneous activity in isolated cords"
)

# --------------------------------------------------------------------------- changes
#: DRG side: the Ia afferents themselves.
AFFERENT_CHANGES = (
    ProfileChange(
        name="ia_conduction_slowing",
        target="afferents.{muscle}.conduction_delay_ms",
        where_present=("afferents.iah_{muscle}.conduction_delay_ms",),
        op="scale",
        amount=1.5,
        component="afferent",
        evidence=_ARC + "; afferent conduction velocity not reported (slower conduction "
        "is one way a reflex can be impaired: longer latency)",
    ),
    ProfileChange(
        name="ia_spontaneous_discharge",
        target="afferents.{muscle}.rest_rate_hz",
        where_present=("afferents.iah_{muscle}.rest_rate_hz",),
        op="add",
        amount=5.0,
        component="afferent",
        evidence=_SPONT + "; a raised resting Ia discharge (Hz added) is one candidate source",
    ),
    ProfileChange(
        name="ia_fibre_loss",
        target="populations.ia_{muscle}.n_cells",
        where_present=("populations.iah_{muscle}.n_cells",),
        op="scale",
        amount=0.8,
        component="afferent",
        evidence=_ARC + "; Ia fibre or VGLUT1 counts not found",
    ),
)

#: DRG side: transmission at the Ia terminals (on motor neurons and IaINs).
IA_SYNAPSE_CHANGES = (
    ProfileChange(
        name="ia_synapse_loss",
        target="connections.ia_to_mn.probability",
        where_present=("connections.iah_to_mn.probability",),
        op="scale",
        amount=0.7,
        component="ia_synapse",
        evidence=_ARC + "; fewer Ia contacts on motor neurons is one way to impair it "
        "(contact counts not found)",
    ),
    ProfileChange(
        name="ia_synapse_weight",
        target="connections.ia_to_mn.weight_scale",
        where_present=("connections.iah_to_mn.weight_scale",),
        op="scale",
        amount=0.7,
        component="ia_synapse",
        evidence=_ARC + "; weaker Ia -> MN transmission is one way to impair it "
        "(EPSP sizes not found)",
    ),
    ProfileChange(
        name="ia_to_iain_weight",
        target="connections.ia_to_iain.weight_scale",
        where_present=("connections.ia_to_ein.weight_scale",),
        op="scale",
        amount=0.7,
        component="ia_synapse",
        evidence="none for IaINs; assumes a release deficit of knockout Ia afferents acts at "
        "all their terminals, as for ia_synapse_weight (Pocratsky23 abstract)",
    ),
)

#: Spinal side: motor neuron intrinsic properties (applied to every MN of both pools).
MOTOR_NEURON_CHANGES = (
    ProfileChange(
        name="mn_nap",
        target="mn_scale.gbar_nap_is_s_cm2",
        op="scale",
        amount=1.5,
        component="motor_neuron",
        evidence=_MN + "; more persistent Na current in the initial segment",
    ),
    ProfileChange(
        name="mn_cal",
        target="mn_scale.gbar_cal_dend_s_cm2",
        op="scale",
        amount=1.5,
        component="motor_neuron",
        evidence=_MN + "; more dendritic L-type Ca current (plateau potentials)",
    ),
    ProfileChange(
        name="mn_sk",
        target="mn_scale.gbar_sk_soma_s_cm2",
        op="scale",
        amount=0.7,
        component="motor_neuron",
        evidence=_MN + "; less SK current (shorter, smaller AHP)",
    ),
)

#: Spinal side: interneurons (a separate change so a sweep can test it alone).
INTERNEURON_CHANGES = (
    ProfileChange(
        name="reciprocal_inhibition_weight",
        target="connections.iain_to_mn.weight_scale",
        op="scale",
        amount=0.5,
        component="interneuron",
        evidence="none: no interneuron finding readable; weaker reciprocal inhibition is a "
        "candidate for the excessive, disorganised contractions (Pocratsky23 abstract)",
    ),
)

PROFILES: dict[str, Profile] = {
    "wild_type": Profile(
        name="wild_type",
        description="Wild type: the circuit spec unchanged.",
    ),
    "tor1a_spinal_drg": Profile(
        name="tor1a_spinal_drg",
        description="Tor1a conditional knockout in spinal cord and DRG (Pocratsky et al. "
        "2023): slower, more spontaneously active and fewer Ia afferents; fewer and weaker "
        "Ia synapses; more excitable motor neurons (more NaP and CaL, less SK); weaker "
        "reciprocal inhibition. Every change is a hypothesis in magnitude, most in direction.",
        changes=AFFERENT_CHANGES + IA_SYNAPSE_CHANGES + MOTOR_NEURON_CHANGES + INTERNEURON_CHANGES,
    ),
    "tor1a_drg_only": Profile(
        name="tor1a_drg_only",
        description="Tor1a knockout in DRG only: the afferent and Ia terminal changes of "
        "tor1a_spinal_drg, nothing in spinal neurons. Pocratsky et al. 2023 report that a "
        "DRG-only knockout did not lead to early-onset dystonia.",
        changes=AFFERENT_CHANGES + IA_SYNAPSE_CHANGES,
    ),
    "tor1a_spinal_only": Profile(
        name="tor1a_spinal_only",
        description="Control: the spinal changes of tor1a_spinal_drg alone (motor neurons and "
        "reciprocal inhibition), the complement of tor1a_drg_only. No such mouse is reported "
        "(Pocratsky et al. 2023 knock out in spinal cord and DRG together, or in DRG only); "
        "it asks which signs the spinal changes carry without the afferent ones.",
        changes=MOTOR_NEURON_CHANGES + INTERNEURON_CHANGES,
    ),
}
"""The named mutation profiles (see the module docstring)."""


# --------------------------------------------------------------------------- applying
def get_profile(profile: str | Profile) -> Profile:
    """The :class:`Profile` named ``profile`` (a Profile is returned as is).

    Raises
    ------
    ParameterError
        For an unknown name, with the closest valid one.
    """
    if isinstance(profile, Profile):
        return profile
    if profile not in PROFILES:
        raise ParameterError(unknown_name_message("profile", str(profile), PROFILES))
    return PROFILES[profile]


def _check_scale(scale: float) -> float:
    if isinstance(scale, bool) or not isinstance(scale, int | float):
        raise ParameterError(f"profile scale {scale!r} must be a number in [0, 1]")
    if not 0.0 <= float(scale) <= 1.0:
        raise ParameterError(f"profile scale = {scale} must be within [0, 1]")
    return float(scale)


def profile_values(
    spec: CircuitSpec,
    profile: str | Profile,
    scale: float = 1.0,
    only: str | Sequence[str] | None = None,
) -> dict[str, Any]:
    """The dotted-name values a profile sets on ``spec`` (see :func:`apply_profile`).

    Targets a change leaves at their current value (e.g. at ``scale=0``) are
    not listed, so an empty dict means the spec is unchanged.

    Returns
    -------
    dict of str to number
        ``{dotted name: new value}``, in the order the changes apply.
    """
    prof = get_profile(profile)
    s = _check_scale(scale)
    values: dict[str, Any] = {}
    for change in prof.select(only):
        optional = change.optional_targets()
        for target in (*change.targets(), *optional):
            try:
                current = values[target] if target in values else spec.get(target)
            except ParameterError as exc:
                if target in optional:
                    continue  # not in this spec (e.g. no heteronymous Ia fibres)
                raise ParameterError(
                    f"profile {prof.name!r}, change {change.name!r}: {exc}"
                ) from None
            new = change.new_value(current, s)
            if new != current or target in values:
                values[target] = new
    return values


def apply_profile(
    spec: CircuitSpec,
    profile: str | Profile,
    scale: float = 1.0,
    only: str | Sequence[str] | None = None,
) -> CircuitSpec:
    """Apply a mutation profile to a circuit spec.

    Parameters
    ----------
    spec : CircuitSpec
        The base circuit (its current values are what the changes act on, so
        a profile composes with earlier changes).
    profile : str or Profile
        A name in :data:`PROFILES` or a Profile object.
    scale : float
        Strength of every change, 0-1 (dimensionless): 0 = wild type, 1 =
        full effect. A ``"scale"`` change multiplies by
        ``1 + scale * (amount - 1)``, an ``"add"`` change adds
        ``scale * amount``; counts are rounded to whole numbers.
    only : str or sequence of str, optional
        Names of the changes to apply (default all), e.g. ``"mn_nap"`` to
        test one change alone.

    Returns
    -------
    CircuitSpec
        A new, validated spec (``spec`` itself when nothing changes).

    Raises
    ------
    ParameterError
        Unknown profile or change name (with the closest valid one), a scale
        outside [0, 1], a target missing from ``spec``, or a new value outside
        the target's allowed range.
    """
    values = profile_values(spec, profile, scale, only)
    if not values:
        return spec
    try:
        return spec.with_values(values)
    except ParameterError as exc:
        raise ParameterError(f"profile {get_profile(profile).name!r}: {exc}") from None


def profile_table(profiles: Mapping[str, Profile] | None = None) -> pd.DataFrame:
    """Every change of every profile as a table (for the README and docs).

    Parameters
    ----------
    profiles : mapping of str to Profile, optional
        Default :data:`PROFILES`.

    Returns
    -------
    pandas.DataFrame
        One row per (profile, change): ``profile, change, target, op, amount,
        component, evidence, hypothesis``. Profiles without changes
        (``wild_type``) have no rows.
    """
    import pandas as pd

    columns = ["profile", "change", "target", "op", "amount", "component", "evidence"]
    rows = [
        {
            "profile": prof.name,
            "change": c.name,
            "target": c.target,
            "op": c.op,
            "amount": float(c.amount),
            "component": c.component,
            "evidence": c.evidence,
            "hypothesis": bool(c.hypothesis),
        }
        for prof in (profiles or PROFILES).values()
        for c in prof.changes
    ]
    return pd.DataFrame(rows, columns=[*columns, "hypothesis"])
