"""Tie and alias patterns, as data.

Each sentence is *masked*: every person mention becomes ``⟦P7⟧`` and every
organisation ``⟦O3⟧`` (the number indexes the document's candidates). The
patterns below are regular expressions over that masked text, so one rule
covers every name. Named groups:

- ``a`` / ``b``: the two ends (``a`` is the subject of a directed type);
- ``list``: several people who all get the tie (pairwise for symmetric types);
- ``o``: the organisation of ``member_of`` / ``leader_of``;
- ``h``: a possessive pronoun ("his friend"): ``a`` is then its antecedent;
- ``kin`` / ``rel``: the word that goes into the tie's ``detail``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

P = r"⟦P\d+⟧"
O = r"⟦O\d+⟧"  # noqa: E741 - the mask letter of organisations
X = r"⟦[PO]\d+⟧"
PL = rf"(?:{P}(?:,\s(?:and\s)?{P})*(?:,?\sand\s{P})?)"
KIN = (
    r"brother-in-law|sister-in-law|half-brother|brothers|brother|sisters|sister|cousins|cousin|"
    r"wife|husband|father|mother|son|daughter|uncle|nephew|niece|stepbrother|brother-in-arms"
)
KIN_MOD = r"(?:(?:older|younger|elder|little|big|twin|eldest|youngest|own)\s)?"
FRIEND_MOD = r"(?:(?:old|childhood|close|longtime|long-time|school|best|good|former)\s)*"
REL = r"friends?|comrades?|associates?|accomplices?|cellmates?|companions?|acquaintances?"
FILL = r"(?:[^⟦.;]{0,60}?)"
#: A filler that may cross organisation names but no person.
FILLO = r"(?:[^⟦.;]|⟦O\d+⟧){0,80}?"
#: An age in apposition after a name: "Ouardighi, 46, who ...".
AGE = r"(?:,\s\d{1,3})?"
NAME = r"[A-Z][\w’'-]+(?:\s(?:(?:al|el|as|az|ad|ash|bin|ibn|de|van)[\s-])?[A-Z][\w’'.-]*){0,4}"
ALIAS = rf"[“\"‘]?(?:(?:the\s)?{X}|(?P<alias_raw>{NAME}))[”\"’]?"
#: A list item that may describe someone before naming them: "a man known as ⟦P2⟧".
ITEM = rf"(?:(?:an?\s(?:man|woman|person)\s[^⟦.;]{{0,40}}?)?{P})"
ITEMS = rf"(?:{ITEM}(?:,\s(?:and\s)?{ITEM})*(?:,?\sand\s{ITEM})?)"


@dataclass(frozen=True)
class Pattern:
    """One rule: what it matches, which tie it states, and how sure it is."""

    name: str
    regex: re.Pattern[str]
    type: str
    detail: str
    confidence: float


def _p(name: str, regex: str, type_: str, detail: str = "", confidence: float = 0.85) -> Pattern:
    return Pattern(name, re.compile(regex, re.I), type_, detail, confidence)


TIE_PATTERNS: tuple[Pattern, ...] = (
    # family
    _p(
        "the-brothers",
        rf"\bthe\s(?:two\s|three\s)?(?P<kin>brothers|sisters|cousins)\s(?P<list>{PL})",
        "family",
    ),
    _p("x-s-kin-y", rf"(?P<a>{P})(?:’s|'s)\s{KIN_MOD}(?P<kin>{KIN}),?\s(?P<b>{X})", "family"),
    _p("his-kin-y", rf"(?P<h>\b(?:his|her))\s{KIN_MOD}(?P<kin>{KIN}),?\s(?P<b>{X})", "family"),
    _p("y-his-kin", rf"(?P<b>{P}),\s(?P<h>his|her)\s{KIN_MOD}(?P<kin>{KIN})\b", "family"),
    _p(
        "y-kin-of-x",
        rf"(?P<b>{P}),\s(?:the|a|an)\s{KIN_MOD}(?P<kin>{KIN})\sof\s(?P<a>{P})",
        "family",
    ),
    _p(
        "x-and-y-kin",
        rf"(?P<list>{PL}),?\s(?:who\s)?(?:are|were)\s(?:\w+\s)?(?P<kin>brothers|sisters|cousins)\b",
        "family",
    ),
    # associates
    _p(
        "his-friend-y",
        rf"(?P<h>\b(?:his|her))\s{FRIEND_MOD}(?P<rel>{REL})(?:\s(?:from|in|since)\s[^,⟦]{{1,40}})?,\s(?P<b>{P})",
        "associate",
    ),
    _p(
        "x-s-friend-y",
        rf"(?P<a>{P})(?:’s|'s)\s{FRIEND_MOD}(?P<rel>{REL})(?:\s(?:from|in|since)\s[^,⟦]{{1,40}})?,?\s(?P<b>{P})",
        "associate",
    ),
    _p(
        "y-friend-of-x",
        rf"(?P<b>{P}),\s(?:an?|the)\s{FRIEND_MOD}(?P<rel>{REL})\sof\s(?P<a>{P})",
        "associate",
    ),
    _p(
        "x-and-y-friends",
        rf"(?P<list>{PL}),?\s(?:who\s)?(?:were|are|had\sbeen|became)\s(?:\w+\s){{0,2}}(?P<rel>friends|comrades|associates|accomplices|cellmates)",
        "associate",
    ),
    _p(
        "met-in-prison",
        rf"(?P<a>{P})\s(?:first\s)?(?:met|befriended|knew)\s(?P<b>{P})\s(?:in|at|while\sin)\s(?P<rel>prison|jail|school)",
        "associate",
    ),
    _p(
        "list-met-in-prison",
        rf"(?P<list>{PL})\s(?:had\s)?(?:first\s)?met\s(?:in|at|while\sin)\s(?P<rel>prison|jail|school)",
        "associate",
    ),
    # membership
    _p(
        "belonged-to",
        rf"(?P<list>{PL}){FILL}\b(?:belonged|belongs|belong)\sto\s(?:the\s)?(?P<o>{O})",
        "member_of",
    ),
    _p(
        "joined",
        rf"(?P<list>{PL}){FILL}\b(?:joined|sided\swith|pledged\s(?:allegiance|loyalty)\sto|fought\s(?:for|with|alongside))\s(?:the\s)?(?P<o>{O})",
        "member_of",
    ),
    _p(
        "org-member-x",
        rf"(?P<o>{O})\s(?:member|members|fighter|fighters|operative|operatives|militant|militants|returnee|recruit|official|officials)(?:,?\s(?:using|under|named|called)\s(?:the\s)?(?:fake\s)?names?)?,?\s(?P<list>{PL})",
        "member_of",
    ),
    _p(
        "x-member-of-o",
        rf"(?P<a>{P}),?\s{FILL}\b(?:an?|the)\s(?:[\w-]+\s){{0,3}}(?:member|fighter|operative|militant|commander|official|returnee|recruit|spokesman|bomb-?maker)\s(?:of|for|in|with)\s(?:the\s)?(?P<o>{O})",
        "member_of",
    ),
    _p(
        "x-is-an-org-member",
        rf"(?P<a>{P}){FILL}\b(?:is|was|became)\s(?:another|an?|the)\s(?P<o>{O})\s(?:returnee|member|fighter|militant|operative|recruit|official)",
        "member_of",
    ),
    _p(
        "org-s-spokesman-x",
        rf"(?P<o>{O})(?:’s|'s)\s(?:[\w-]+\s){{0,2}}(?:spokesman|spokesperson|commander|official|fighter|member|operative|militant|bomb-?maker)\b,?\s(?P<a>{P})",
        "member_of",
    ),
    _p(
        "x-org-s-spokesman",
        rf"(?P<a>{P}),\s(?P<o>{O})(?:’s|'s)\s(?:[\w-]+\s){{0,3}}(?:spokesman|spokesperson|commander|official|fighter|member|operative|militant)\b",
        "member_of",
    ),
    _p(
        "last-surviving-member",
        rf"(?P<a>{P}),\s(?:the\s)?(?:[\w-]+\s){{0,3}}(?P<o>{O})\s(?:member|fighter|militant|operative)\b",
        "member_of",
    ),
    # leadership
    _p(
        "led-by",
        rf"(?P<o>{X}),?\s(?:(?:which\s)?(?:is|was|had\sbeen|has\sbeen)\s)?(?:led|run|headed|founded|commanded)\sby\s(?P<a>{P})",
        "leader_of",
    ),
    _p(
        "x-leader-of-o",
        rf"(?P<a>{P}),\s(?:the\s)?(?:[\w-]+\s){{0,2}}(?:leader|head|chief|emir|founder|commander|deputy)\sof\s(?:the\s)?(?P<o>{O})",
        "leader_of",
    ),
    _p(
        "o-leader-x",
        rf"(?P<o>{O})(?:’s|'s)?\s(?:[\w-]+\s){{0,1}}(?:leader|chief|emir|founder|deputy|caliph|head)\b,?\s(?P<a>{P})",
        "leader_of",
    ),
    _p(
        "x-the-o-leader",
        rf"(?P<a>{P}),\s(?:the\s)?(?P<o>{O})\s(?:leader|chief|emir|founder)\b",
        "leader_of",
    ),
    _p(
        "x-leads-o",
        rf"(?P<a>{P})\s(?:\w+\s){{0,3}}(?:leads|led|runs|ran|heads|headed|founded|commands|commanded)\s(?:the\s)?(?P<o>{O})",
        "leader_of",
    ),
    _p(
        "x-and-his-group",
        rf"(?P<a>{P}),?\s(?:and|with)\s(?P<h>his|her)\s(?:group|network|organi[sz]ation|movement|cell),?\s(?P<o>{O})",
        "leader_of",
    ),
    # recruitment
    _p(
        "recruited-by",
        rf"(?P<a>{P}){FILL}\b(?:was|were|had\sbeen|been|is|being|got)\s(?:\w+\s)?(?:recruited|guided|mentored|radicali[sz]ed|groomed|indoctrinated|sent)\sby\s(?:(?:a|an|the)\s(?:[\w-]+\s){{0,3}})?(?P<b>{P})",
        "recruited_by",
    ),
    _p(
        "b-recruited-a",
        rf"(?P<b>{P})\s(?:\w+\s){{0,2}}(?:recruited|mentored|radicali[sz]ed|groomed)\s(?P<list>{PL})",
        "recruited_by",
    ),
    # communication
    _p(
        "in-touch-with",
        rf"(?P<a>{P}){FILL}\b(?:in\s(?:\w+\s)?(?:touch|contact)\swith|(?:called|phoned|texted|messaged|e-?mailed|telephoned)|spoke\s(?:to|with)|told)\s(?:(?:my|his|her|a)\scolleague,?\s)?(?P<b>{P})",
        "communicated_with",
    ),
    # travel
    _p(
        "travelled-with",
        rf"(?P<a>{P}){FILL}\b(?:travell?ed|drove|flew|crossed\s(?:\w+\s){{0,3}})\s(?:together\s)?with\s(?P<b>{P})",
        "travelled_with",
    ),
    _p(
        "stopped-together",
        rf"(?P<list>{PL})\s(?:were|was)\s(?:\w+\s)?(?:stopped|arrested|caught|checked|seen|travell?ing)\stogether",
        "travelled_with",
    ),
    _p(
        "also-in-the-car",
        rf"^\s*(?P<h>also)\sin\s(?:the|his|her|that)\s(?:car|vehicle|van)\s(?:were|was)\s(?P<list>{ITEMS})",
        "travelled_with",
    ),
    # residence
    _p(
        "flat-shared-with",
        rf"(?:apartment|flat|house|home|room)\s(?:that|which|where)\s(?P<a>{P})\s(?:shared|rented|lived)\s(?:\w+\s){{0,3}}with\s(?P<b>{P})",
        "shared_residence",
    ),
    _p(
        "shared-flat-with",
        rf"(?P<a>{P}){FILL}\b(?:shared|rented|lived\sin)\s(?:an?|the)\s(?:apartment|flat|house|room|home)\s(?:[^⟦.;]{{0,40}}?)with\s(?P<b>{P})",
        "shared_residence",
    ),
    _p(
        "list-shared-flat",
        rf"(?P<list>{PL})\s(?:[^⟦.;]{{0,20}}?)\b(?:shared|rented|lived\sin)\s(?:an?|the)\s(?:apartment|flat|house)",
        "shared_residence",
    ),
    # membership, more ways to say it
    _p(
        "part-of",
        rf"(?P<a>{P}){FILL}\b(?:was|were|is|became)\s(?:a\s|an\s)?(?:part|member|unit)\sof\s(?:the\s)?(?:{O}(?:’s|'s)\s)?(?P<o>{O})",
        "member_of",
    ),
    _p(
        "fought-for",
        rf"(?P<a>{P}){FILLO}\b(?:fight(?:ing|s)?|fought|sign(?:ed|ing|s)?\sup|volunteer(?:ed|ing)?|star|operative)\s(?:[\w-]+\s){{0,4}}(?:for|with|alongside)\s(?:the\s)?(?P<o>{O})",
        "member_of",
        confidence=0.7,
    ),
    _p(
        "he-fought-for",
        rf"(?P<h>\b(?:he|she))\s[^⟦.;]{{0,60}}?\b(?:sign(?:ed|ing)?\sup|fight(?:ing)?|fought|joined|belonged\sto)\s(?:[\w-]+\s){{0,4}}(?:(?:for|with|to)\s)?(?:the\s)?(?P<o>{O})",
        "member_of",
        confidence=0.6,
    ),
    _p(
        "members-including",
        rf"members\sof\s(?:the\s)?(?P<o>{O})[^⟦.;]{{0,80}}?\bincluding\s(?P<list>{PL})",
        "member_of",
    ),
    _p(
        "formed-org",
        rf"(?P<a>{P}){FILL}\b(?:formed|founded|co-founded|created|established)\s(?:the\s)?(?P<o>{O})",
        "leader_of",
        "founder",
    ),
    # associates, more ways
    _p(
        "involved-with",
        rf"(?P<a>{P}){FILL}\b(?:was|were|is|are)\s(?:also\s)?(?:involved|associated|linked|connected|close)\s(?:with|to)\s(?:[^⟦.;]{{0,50}}?,\s)?(?P<b>{P})",
        "associate",
    ),
    _p(
        "x-s-bodyguard",
        rf"(?P<b>{P}){FILLO}\b(?:was|became|is)\s(?P<a>{P})(?:’s|'s)\s(?P<rel>bodyguard|driver|deputy|right-hand\sman|lieutenant|protégé|protege|aide|assistant|associate)",
        "associate",
    ),
    _p(
        "recruited-by-appos",
        rf"(?P<a>{P}){FILL}\b(?:was|were|had\sbeen|been|is|being|got)\s(?:\w+\s)?(?:recruited|guided|mentored|radicali[sz]ed|groomed|indoctrinated)\sby\s(?:an?\s|the\s)[^⟦.;]{{0,50}}?,\s(?P<b>{P})",
        "recruited_by",
    ),
    # writing and affiliation
    _p(
        "wrote-for",
        rf"(?P<a>{P}){FILL}\b(?:wrote|writes|writing|reported|reporting)\s(?:recently\s)?(?:in|for|on)\s(?:the\s)?(?P<b>{O})",
        "other",
        "wrote for",
    ),
    _p(
        "works-at",
        rf"(?P<a>{P})\s(?:is|was)\s(?:an?\s|the\s)?[^⟦.;]{{0,60}}?\b(?:at|with)\s(?:the\s)?(?P<b>{O})\.?$",
        "other",
        "works at",
    ),
    # organisations among themselves
    _p("org-s-org", rf"(?P<b>{O})(?:’s|'s)\s(?P<a>{O})", "other", "part of"),
    _p(
        "org-rival",
        rf"(?P<a>{O})(?:’s|'s)\s(?:[\w-]+\s)?(?P<rel>rival|enemy|ally|partner|offshoot|predecessor|successor|affiliate|branch|wing)\s[^⟦.;]{{0,30}}?(?P<b>{O})",
        "other",
    ),
    _p(
        "org-offshoot",
        rf"(?P<a>{O})\s(?:was|is)\s(?:founded\s|set\sup\s|created\s|formed\s)?as\san?\s(?P<rel>offshoot|branch|wing|affiliate|front)\sof\s(?:the\s)?(?:[\w-]+\s)?(?P<b>{O})",
        "other",
    ),
    _p(
        "org-set-up-org",
        rf"(?P<b>{O})\s(?:had\s)?(?:set\sup|created|founded|established)\s(?P<a>{O})\sas\s(?:its\s)?(?:[\w-]+\s){{0,3}}(?P<rel>wing|branch|front|affiliate)",
        "other",
    ),
    _p(
        "known-as-org",
        rf"(?P<a>{O})[^⟦.;]{{0,40}}?\bknown\sas\s(?P<b>{O})",
        "other",
        "previous form",
    ),
    # roles whose organisation is the one the passage is about ("context" patterns)
    _p(
        "role-list",
        r"\b(?:senior|key|top|leading|main)?\s?(?:[“\"][^”\"]{1,20}[”\"]\s)?(?P<rel>leaders|members|commanders|figures|officials|operatives)\s(?:were|are|such\sas|including|included)\s(?:(?P<h>himself|herself),\s)?(?P<rest>.*)$",
        "member_of",
        "context",
        0.6,
    ),
    _p(
        "role-appos",
        rf"\bthe\s(?P<rel>caliph|emir|leader|spokesman|deputy|commander|founder|chief)\b,?\s(?P<a>{P})",
        "leader_of",
        "context",
        0.65,
    ),
    _p("x-s-org", rf"(?P<a>{P})(?:’s|'s)\s(?P<o>{O})", "leader_of", "possessive", 0.55),
    # French
    _p(
        "fr-son-frere",
        rf"(?P<h>\b(?:son|sa))\s(?P<kin>frère|frere|sœur|soeur|cousin|cousine|épouse|mari|père|fils)\s?,?\s(?P<b>{X})",
        "family",
    ),
    _p(
        "fr-les-freres",
        rf"\bles\s(?P<kin>frères|freres|sœurs|cousins)\s(?P<list>{P}(?:,\s{P})*\set\s{P})",
        "family",
    ),
    _p(
        "fr-a-rejoint",
        rf"(?P<a>{P}){FILL}\b(?:a\srejoint|avait\srejoint|rejoint|appartenait\sà|appartient\sà|membre\s(?:de|du|d’|d'))\s?(?:l’|l'|la\s|le\s|les\s)?(?:(?:groupe|réseau|mouvement|organisation|cellule)\s)?(?P<o>{O})",
        "member_of",
    ),
    _p(
        "fr-dirige-par",
        rf"(?P<o>{O}),?\s(?:dirigée?|menée?|fondée?|commandée?)\spar\s(?P<a>{P})",
        "leader_of",
    ),
    _p(
        "fr-chef-de",
        rf"(?P<a>{P}),\s(?:le\s|l’|l')?(?:chef|émir|emir|dirigeant|fondateur)\s(?:de|du|d’|d')\s?(?:la\s|l’|l')?(?P<o>{O})",
        "leader_of",
    ),
    _p(
        "fr-recrute-par",
        rf"(?P<a>{P}){FILL}\b(?:a\sété|avait\sété|été)\s(?:recruté|recrutée|radicalisé|radicalisée|guidé|guidée)\spar\s(?P<b>{P})",
        "recruited_by",
    ),
    _p(
        "fr-en-contact",
        rf"(?P<a>{P}){FILL}\b(?:en\scontact|en\srelation)\s(?:régulier\s|permanent\s|constant\s)?avec\s(?P<b>{P})",
        "communicated_with",
    ),
)

#: Words that may stand between a name and "better known as": an apposition
#: such as ", ISIS's powerful official spokesman," (no other name inside).
APPOS = r"(?:,\s(?:[^,;⟦()]|⟦O\d+⟧){1,70}?)?"
_KNOWN = (
    r"(?:better|also|previously|formerly|otherwise|widely|commonly|now|informally|popularly|"
    r"locally|simply|affectionately|often|sometimes|usually|generally|more\scommonly|mostly)"
    r"\sknown\sas"
)
#: Words that introduce a nickname or war name after a name: "X, nicknamed Y", "X, dubbed Y".
_NICKNAMED = (
    r"(?:nicknamed|dubbed|surnamed|(?:known|going)\sby\sthe\s(?:nom\sde\sguerre|kunya|nickname|"
    r"alias|name|pseudonym)(?:\sof)?|(?:whose|with\sthe|under\sthe)\s(?:nom\sde\sguerre|kunya|"
    r"nickname|alias|pseudonym|war\sname)(?:\s(?:is|was|of))?|who\s(?:goes|went)\sby)"
)
#: Words of the papers someone travelled on: "a forged passport in the name of Y".
_PAPERS = (
    r"(?:forged|fake|false|fraudulent|stolen|borrowed)\s(?:[\w-]+\s)?(?:passport|passports|papers|"
    r"documents|identity\scard|identity\spapers|id\scard|id|visa|driving\slicen[cs]e)\s"
    r"(?:[\w-]+\s){0,3}?(?:in|under|bearing|with)\s(?:the\s)?names?\s(?:of\s)?"
)
_KNOWN_TO = r"known\sto\s(?:his\s|her\s|their\s)?[\w-]+\sas"

ALIAS_PATTERNS: tuple[Pattern, ...] = (
    _p(
        "nicknamed",
        rf"(?P<a>{X}){AGE}{APPOS},?\s(?:(?:who|he|she)\s(?:is|was)\s)?{_NICKNAMED},?\s(?P<alias>{ALIAS})",
        "alias",
        "strong",
        0.85,
    ),
    _p(
        "alias-list",
        rf"(?P<a>{P}){AGE}{APPOS},?\s(?:who\s)?(?:also\s)?(?:used|uses|using|had|has|with|under|went\sby|"
        rf"goes\sby)\s(?:the\s)?(?:aliases|names|noms\sde\sguerre|kunyas|pseudonyms|false\snames)"
        rf",?\s(?:of\s|including\s|such\sas\s)?(?P<alias>{P}(?:,\s(?:and\s|or\s)?{P})*(?:,?\s(?:and|or)\s{P})?)",
        "alias",
        "strong",
        0.85,
    ),
    _p(
        "forged-papers",
        rf"(?P<a>{P}){FILL}\b{_PAPERS}(?P<alias>{ALIAS})",
        "alias",
        "strong",
        0.85,
    ),
    _p(
        "his-title",
        rf"\b(?P<h>his|her)\s(?:full\s|official\s|real\s)?(?:title|nom\sde\sguerre|kunya|nickname|alias|"
        rf"pseudonym|war\sname)(?:\s(?:as|is|was|being))?,?\s(?P<alias>{ALIAS})",
        "alias",
        "strong",
        0.8,
    ),
    _p(
        "fr-sous-le-nom",
        rf"(?P<a>{P}){FILL}(?:sous\s(?:le\s(?:faux\s)?nom|l[’']identité|le\spseudonyme|le\snom\sde\sguerre)"
        rf"\s(?:de\s|d[’'])?|(?:faux|fausse|faux\spapiers|faux\spasseport|fausse\sidentité|"
        rf"fausse\scarte\sd[’']identité|faux\sdocuments)\s(?:[\w-]+\s){{0,2}}?au\snom\s(?:de\s|d[’']))"
        rf"(?P<alias>{ALIAS})",
        "alias",
        "strong",
        0.85,
    ),
    _p(
        "fr-connu-sous",
        rf"(?P<a>{X}){AGE},?\s(?:(?:(?:plus\s|mieux\s|aussi\s|également\s)?(?:connu|connue)|surnommé|surnommée|dit|dite|alias)\s(?:sous\sle\s(?:nom|surnom|pseudonyme|nom\sde\sguerre)\s(?:de\s|d’|d')?)?)(?P<alias>{ALIAS})",
        "alias",
        "strong",
        0.85,
    ),
    _p(
        "name-in-parentheses",
        rf"(?P<a>{X}){AGE},?\s\(\s?(?P<alias>{ALIAS})\s?\)",
        "alias",
        "strong",
        0.9,
    ),
    _p(
        "known-as",
        rf"(?P<a>{X}){AGE}{APPOS},?\s(?:(?:who|he|she|it)\s(?:is|was|had\sbeen|has\sbeen)\s|(?:is|was)\s)?{_KNOWN}\s(?P<alias>{ALIAS})",
        "alias",
        "strong",
        0.9,
    ),
    _p(
        "known-to-x-as",
        rf"(?P<a>{X}){AGE},?\s(?:(?:who|he|she)\s(?:is|was)\s)?{_KNOWN_TO}\s(?P<alias>{ALIAS})",
        "alias",
        "strong",
        0.85,
    ),
    _p(
        "known-as-x-first",
        rf"^\s*(?:{_KNOWN}|{_KNOWN_TO}|known\sas)\s(?P<alias>{ALIAS}),\s(?P<a>{P})",
        "alias",
        "strong",
        0.85,
    ),
    _p(
        "known-as-he",
        rf"^\s*(?:{_KNOWN}|{_KNOWN_TO}|known\sas)\s(?P<alias>{ALIAS}),\s(?P<h>he|she)\b",
        "alias",
        "strong",
        0.8,
    ),
    _p(
        "now-known-to-be",
        rf"^\s*now\sknown\sto\sbe\s(?P<a>{P}),\s(?:he|she)\swas\s(?:previously|formerly|also)\sknown\sas\s(?P<alias>{ALIAS})",
        "alias",
        "strong",
        0.9,
    ),
    _p(
        "aka",
        rf"(?P<a>{X}){AGE},?\s\(?(?:a\.k\.a\.?|aka|alias)\s(?P<alias>{ALIAS})",
        "alias",
        "strong",
        0.9,
    ),
    _p(
        "under-the-name",
        rf"(?P<a>{P}){FILL}\b(?:under|using)\s(?:the\s)?(?:fake\s|false\s|assumed\s|alias\s)?(?:name|identity|alias)\s(?:of\s)?(?P<alias>{ALIAS})",
        "alias",
        "strong",
        0.85,
    ),
    _p(
        "took-the-name",
        rf"(?P<a>{P}){FILL}\b(?:taking|took|takes|adopted|adopting|went\sby|goes\sby)\s(?:the\s)?(?:nom\sde\sguerre|kunya|name|alias)\s(?P<alias>{ALIAS})",
        "alias",
        "strong",
        0.85,
    ),
    _p(
        "called-himself",
        rf"(?P<a>{P}){FILL}\b(?:called|calls|calling|introduced)\s(?:himself|herself)\s(?:as\s)?(?:Mr\.?\s|Mrs\.?\s|Ms\.?\s)?(?P<alias>{ALIAS})",
        "alias",
        "strong",
        0.8,
    ),
    _p(
        "turned-out-to-be",
        rf"(?P<alias>{ALIAS})\s(?:turned\sout\sto\sbe|was\sin\sfact|was\sactually|was\sidentified\sas|is\sreally|was\sreally)\s(?P<a>{P})",
        "alias",
        "strong",
        0.85,
    ),
)
