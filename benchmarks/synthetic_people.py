"""A seeded generator of synthetic person records with known truth.

Every record belongs to one generated person (``person`` is the truth). People
carry Arabic-origin and European names; their records drift the way real
record systems drift:

- transliteration variants of given names (Mohammed / Muhammad / Mohamed,
  Youssef / Yusuf, Khalid / Khaled, Abdelhamid / Abdul Hamid ...);
- family-name variants: the article (El Amrani / el-Amrani / Amrani / Al Amrani),
  ``ou`` / ``u`` / ``w`` (Ouazzani / Uazzani / Wazzani), doubled letters;
- typos (a letter dropped, doubled, swapped or replaced), names in family-first
  order, missing values, a date of birth with a typo or day and month swapped,
  a move to another address, a new phone;
- aliases: a record under another name that shares the person's passport (a
  fake identity), or that lists the other name in its alias column;
- households: brothers and sisters sharing family name, address and sometimes
  phone, with their own given names and dates of birth (the hard negatives).

Names are drawn from pools large enough that unrelated people share full
names, as in real data. Run as a script to write a CSV::

    python benchmarks/synthetic_people.py --records 100000 --seed 7 -o people.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

# Variant groups: each inner tuple is one name in its usual Latin spellings.
GIVEN_MALE: list[tuple[str, ...]] = [
    ("Mohammed", "Muhammad", "Mohamed", "Mohammad", "Mouhamed", "Muhammed"),
    ("Ahmed", "Ahmad", "Ahmet"),
    ("Youssef", "Yusuf", "Youssouf", "Yousef", "Yussuf"),
    ("Ibrahim", "Brahim", "Ebrahim"),
    ("Khalid", "Khaled", "Khaled"),
    ("Abdelhamid", "Abdul Hamid", "Abdelhameed", "Abdel Hamid"),
    ("Abderrahmane", "Abdul Rahman", "Abdelrahman", "Abderahman"),
    ("Oussama", "Usama", "Osama", "Ousama"),
    ("Mustafa", "Moustapha", "Mostafa", "Mustapha"),
    ("Omar", "Umar", "Omer"),
    ("Hamza", "Hamzah", "Hamsa"),
    ("Salah", "Saleh", "Salih"),
    ("Hassan", "Hasan", "Hassane"),
    ("Hussein", "Hussain", "Husayn", "Houssein"),
    ("Karim", "Kareem", "Kerim"),
    ("Rachid", "Rashid", "Rasheed", "Rashed"),
    ("Said", "Saeed", "Saïd", "Sayed"),
    ("Soufiane", "Sofiane", "Sufyan", "Soufian"),
    ("Nabil", "Nabeel"),
    ("Jamal", "Gamal", "Djamal"),
    ("Tarik", "Tariq", "Tarek"),
    ("Ayoub", "Ayub", "Ayyoub"),
    ("Anouar", "Anwar", "Anuar"),
    ("Noureddine", "Nuruddin", "Nourredine", "Nour Eddine"),
    ("Zakaria", "Zakariya", "Zakariyya", "Zakarya"),
    ("Ismail", "Ismael", "Esmail"),
    ("Younes", "Yunus", "Younis", "Yunes"),
    ("Mehdi", "Mahdi"),
    ("Adel", "Adil"),
    ("Bilal", "Belal"),
    ("Abdelkader", "Abdul Qadir", "Abdelkadir", "Abdulkader"),
    ("Mounir", "Munir", "Moneer"),
    ("Redouane", "Ridwan", "Redwan", "Radouane"),
    ("Yassine", "Yasin", "Yacine", "Yassin"),
    ("Walid", "Waleed", "Oualid"),
    ("Hicham", "Hisham", "Hisham"),
    ("Driss", "Idris", "Idriss"),
    ("Fouad", "Fuad", "Foad"),
    ("Lahcen", "Lahsen", "Lahssen"),
    ("Mourad", "Murad", "Morad"),
    ("Nordine", "Nurdin", "Nourdine"),
    ("Othmane", "Uthman", "Osman", "Otman"),
    ("Jan",),
    ("Pieter", "Peter"),
    ("Thomas",),
    ("Lucas", "Lukas"),
    ("Luca",),
    ("Marco",),
    ("Ivan",),
    ("Stefan", "Stephan"),
    ("Dirk",),
    ("Koen",),
    ("Bram",),
    ("Jonas",),
    ("Julien",),
    ("Nicolas", "Nikolas"),
    ("Maxime",),
    ("Antoine",),
    ("Kevin",),
    ("Dimitri", "Dmitri"),
    ("Alexandre", "Alexander", "Aleksander"),
]
GIVEN_FEMALE: list[tuple[str, ...]] = [
    ("Fatima", "Fatma", "Fatimah", "Fatiha"),
    ("Aicha", "Aisha", "Aïcha", "Aysha"),
    ("Khadija", "Khadidja", "Khadijah"),
    ("Meriem", "Maryam", "Myriam", "Mariam"),
    ("Samira", "Sameera"),
    ("Nadia", "Nadiya"),
    ("Leila", "Layla", "Laila"),
    ("Zineb", "Zainab", "Zaynab"),
    ("Salma", "Selma"),
    ("Hafsa", "Hafsah"),
    ("Souad", "Suad", "Souaad"),
    ("Naima", "Naeema", "Naïma"),
    ("Yasmina", "Yasmine", "Jasmina"),
    ("Hanane", "Hanan"),
    ("Imane", "Iman", "Eman"),
    ("Malika", "Malikah"),
    ("Rachida", "Rashida"),
    ("Karima", "Kareema"),
    ("Sara", "Sarah"),
    ("Noor", "Nour", "Nur"),
    ("Anna", "Ana"),
    ("Marie",),
    ("Sophie", "Sofie"),
    ("Julie",),
    ("Laura",),
    ("Emma",),
    ("Lotte",),
    ("Elena", "Helena"),
    ("Ines", "Inès"),
    ("Camille",),
]
# Family names: a stem with its own spellings; the article is added separately.
FAMILY_ARABIC: list[tuple[str, ...]] = [
    ("Kharraoui", "Kharrawi", "Kharraui"),
    ("Amrani", "Amrany"),
    ("Ouahbi", "Wahbi", "Ouahby"),
    ("Bouridi", "Bourid", "Boureidi"),
    ("Haddad", "Hadad"),
    ("Mansouri", "Mansuri", "Manssouri"),
    ("Tahiri", "Taheri"),
    ("Idrissi", "Idrisi", "Idriss"),
    ("Alaoui", "Alawi", "Alaoi"),
    ("Chaoui", "Shawi", "Chaoui"),
    ("Ziani", "Zyani"),
    ("Berrada", "Berada"),
    ("Benjelloun", "Ben Jelloun", "Benjeloun"),
    ("Cherkaoui", "Sharqawi", "Cherqaoui"),
    ("Ouazzani", "Wazzani", "Ouazani"),
    ("Kaddouri", "Qaddouri", "Kadouri"),
    ("Lahlou", "Lahlu"),
    ("Naciri", "Nasiri", "Nassiri"),
    ("Rahmouni", "Rahmuni"),
    ("Khattabi", "Kattabi", "Khatabi"),
    ("Hamdaoui", "Hamdawi"),
    ("Benali", "Ben Ali"),
    ("Boukhari", "Bukhari", "Boukhary"),
    ("Tazi", "Tazy"),
    ("Fassi", "Fasi"),
    ("Sabri", "Sabry"),
    ("Yacoubi", "Yaqubi", "Yakoubi"),
    ("Zerouali", "Zerwali"),
    ("Hajji", "Haji", "Hadji"),
    ("Mokhtari", "Moktari", "Mukhtari"),
    ("Bennani", "Benani"),
    ("Guerrouj", "Gerrouj"),
    ("Ouardi", "Wardi"),
    ("Sghiri", "Seghiri"),
    ("Abdesmad", "Abdesamad", "Abdessamad"),
    ("Laamraoui", "Lamraoui", "Laamraui"),
    ("Benzaid", "Benzaïd", "Benzaied"),
    ("Mechbal", "Meshbal"),
    ("Dahmani", "Dahmany"),
    ("Oukili", "Ukili"),
]
FAMILY_EUROPEAN = [
    "Janssens",
    "Peeters",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Lambert",
    "Martin",
    "Dupont",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Muller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Rossi",
    "Russo",
    "Ferrari",
    "Novak",
    "Kowalski",
    "Nowak",
    "Horvat",
    "Van Dijk",
    "De Vries",
    "Bakker",
    "Visser",
    "Smit",
    "Mulder",
    "Bos",
    "Vos",
    "Hendriks",
]
# Roots and affixes from which thousands more family names are built (Ben Khaldoun,
# Bouziani, Ait Hammou...), each with its ou/u and doubled-letter spellings.
ROOTS = [
    "khald",
    "hamm",
    "zian",
    "mans",
    "tahir",
    "idris",
    "kaddour",
    "lahl",
    "nas",
    "rahm",
    "khatt",
    "hamd",
    "bakr",
    "ouahb",
    "haddad",
    "sabr",
    "yacoub",
    "zerw",
    "hajj",
    "mokht",
    "benn",
    "guerr",
    "ouard",
    "sghir",
    "dahm",
    "oukil",
    "mechb",
    "belk",
    "laachr",
    "abdesl",
    "fass",
    "taz",
    "chaou",
    "alaou",
    "berr",
    "jell",
    "cherk",
    "ouazz",
    "amr",
    "bouz",
    "farh",
    "ghaz",
    "jebb",
    "karr",
    "lamr",
    "mahj",
    "najj",
    "qasm",
    "rach",
    "sadd",
    "tarr",
    "wahh",
    "yazz",
    "zaar",
    "boudr",
    "chakr",
    "darr",
    "fadl",
    "ghoul",
    "hass",
    "jaaf",
    "kass",
    "laar",
    "marr",
    "nouh",
    "ouahr",
    "rifa",
    "saad",
    "tounsi",
    "wadi",
    "yousf",
    "zouh",
]
PREFIXES = ("", "", "Ben ", "Bou", "Ait ", "Ould ", "Ben")
SUFFIXES = ("i", "aoui", "ani", "oun", "a", "")


def _spellings(name: str) -> tuple[str, ...]:
    out = [name]
    if "ou" in name:
        out.append(name.replace("ou", "u", 1))
    if name.startswith("Ou") and not name.startswith("Ould"):
        out.append("W" + name[2:])
    for a in ("ss", "dd", "kk", "rr", "ll", "mm", "tt", "zz", "jj"):
        if a in name:
            out.append(name.replace(a, a[0], 1))
            break
    return tuple(dict.fromkeys(out))


FAMILY_BUILT: list[tuple[str, ...]] = [
    _spellings(f"{pre}{root.capitalize() if pre.endswith(' ') or not pre else root}{suf}")
    for root in ROOTS
    for pre in dict.fromkeys(PREFIXES)
    for suf in SUFFIXES
]
ARTICLES = ("El ", "el-", "Al ", "al-", "El-", "")
CITIES = [
    ("Molenbeek", "1080"),
    ("Schaerbeek", "1030"),
    ("Anderlecht", "1070"),
    ("Brussels", "1000"),
    ("Antwerp", "2000"),
    ("Liege", "4000"),
    ("Charleroi", "6000"),
    ("Verviers", "4800"),
    ("Saint-Denis", "93200"),
    ("Paris", "75018"),
    ("Roubaix", "59100"),
    ("Rotterdam", "3011"),
]
STREETS = [
    "Rue de la Colonne",
    "Rue des Quatre-Vents",
    "Rue Delaunoy",
    "Chaussee de Gand",
    "Rue Max Roos",
    "Avenue de Stalingrad",
    "Rue Henri Bergé",
    "Boulevard Leopold",
    "Kerkstraat",
    "Stationsstraat",
    "Rue du Midi",
    "Rue de Brabant",
    "Rue Vandenpeereboom",
    "Avenue Jean Dubrucq",
    "Rue Ribaucourt",
]
NATIONALITIES = ("BE", "FR", "MA", "DZ", "TN", "NL", "DE", "TR", "SY", "IT")
FIELDS = ("id", "full_name", "aliases", "birth_date", "nationality", "address", "phone", "passport")


@dataclass(frozen=True)
class Person:
    """One generated person: the truth behind their records."""

    pid: int
    given: tuple[str, ...]  # the person's given-name variant group
    given_at: int  # the spelling the person uses by default
    family: tuple[str, ...]
    family_at: int
    article: str
    dob: dt.date
    nationality: str
    address: str
    phone: str
    passport: str


@dataclass(frozen=True)
class Row:
    """One generated record and the person it belongs to."""

    id: str
    person: int
    full_name: str
    aliases: str
    birth_date: str
    nationality: str
    address: str
    phone: str
    passport: str

    def cells(self) -> list[str]:
        return [
            self.id,
            self.full_name,
            self.aliases,
            self.birth_date,
            self.nationality,
            self.address,
            self.phone,
            self.passport,
        ]


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.3:
        return word[:i] + word[i + 1 :]  # dropped
    if kind < 0.5:
        return word[:i] + word[i] + word[i:]  # doubled
    if kind < 0.75:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped
    return word[:i] + rng.choice("aeioulnrst") + word[i + 1 :]  # replaced


def _family_variant(rng: random.Random, stem: str) -> str:
    """ou/u/w and doubled-letter drift of a family name."""
    r = rng.random()
    if r < 0.35 and "ou" in stem.lower():
        return stem.replace("Ou", "W", 1).replace("ou", "u", 1)
    if r < 0.6:
        for a, b in (("ss", "s"), ("dd", "d"), ("kk", "k"), ("rr", "r"), ("ll", "l")):
            if a in stem:
                return stem.replace(a, b, 1)
    return stem


class Generator:
    """People and their records, reproducible from ``seed``."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.next_pid = 0
        self.next_passport = 10_000_000

    def _passport(self) -> str:
        self.next_passport += self.rng.randrange(1, 97)
        return f"{self.rng.choice('ABCEGHKMNPRSTX')}{self.next_passport}"

    def _phone(self) -> str:
        return f"+32 4{self.rng.randrange(60, 99)} {self.rng.randrange(100000, 999999)}"

    def _address(self) -> str:
        city, zip_code = self.rng.choice(CITIES)
        return f"{self.rng.choice(STREETS)} {self.rng.randrange(1, 240)}, {zip_code} {city}"

    def person(self, sibling_of: Person | None = None) -> Person:
        rng = self.rng
        self.next_pid += 1
        female = rng.random() < 0.4
        pool = GIVEN_FEMALE if female else GIVEN_MALE
        given = rng.choice(pool)
        if sibling_of is not None:
            while given == sibling_of.given:
                given = rng.choice(pool)
            birth = sibling_of.dob + dt.timedelta(
                days=rng.choice((-1, 1)) * rng.randrange(300, 4000)
            )
            return replace(
                sibling_of,
                pid=self.next_pid,
                given=given,
                given_at=rng.randrange(len(given)),
                dob=birth,
                phone=sibling_of.phone if rng.random() < 0.3 else self._phone(),
                passport=self._passport(),
            )
        if rng.random() < 0.75:
            pool_f = FAMILY_ARABIC if rng.random() < 0.3 else FAMILY_BUILT
            family = pool_f[int(len(pool_f) * rng.random() ** 2)]  # common names more often
            article = rng.choice(ARTICLES) if rng.random() < 0.3 else ""
        else:
            family = (rng.choice(FAMILY_EUROPEAN),)
            article = ""
        start = dt.date(1950, 1, 1).toordinal()
        dob = dt.date.fromordinal(rng.randrange(start, dt.date(2006, 12, 31).toordinal()))
        return Person(
            self.next_pid,
            given,
            rng.randrange(len(given)),
            family,
            rng.randrange(len(family)),
            article,
            dob,
            rng.choice(NATIONALITIES),
            self._address(),
            self._phone(),
            self._passport(),
        )

    def _name(self, p: Person, *, noisy: bool) -> str:
        rng = self.rng
        given = p.given[p.given_at]
        family = p.family[p.family_at]
        article = p.article
        if noisy:
            if rng.random() < 0.35:
                given = rng.choice(p.given)  # transliteration
            if rng.random() < 0.3:
                family = rng.choice(p.family)
            if rng.random() < 0.15:
                family = _family_variant(rng, family)
            if p.article and rng.random() < 0.4:
                article = rng.choice(ARTICLES)  # el- dropped, written another way
            if rng.random() < 0.12:
                given = _typo(rng, given)
            if rng.random() < 0.12:
                family = _typo(rng, family)
        full_family = f"{article}{family}"
        if noisy and rng.random() < 0.04:
            return f"{full_family.upper()} {given}"  # family first, as registries write it
        return f"{given} {full_family}"

    def records(self, p: Person, n: int, start_id: int) -> list[Row]:
        """``n`` records of person ``p``: the first clean, the others noisy."""
        rng = self.rng
        rows = []
        for k in range(n):
            noisy = k > 0
            name = self._name(p, noisy=noisy)
            aliases = ""
            passport = p.passport
            dob = p.dob.isoformat()
            address, phone = p.address, p.phone
            fake = False
            if noisy:
                if rng.random() < 0.03:  # a fake identity on the person's passport
                    fake = True
                    other = self.person()
                    self.next_pid -= 1  # a name only, not a person
                    name = self._name(other, noisy=False)
                    dob = (
                        dob if rng.random() < 0.5 else other.dob.isoformat()
                    )  # a forged date, or the true one
                elif rng.random() < 0.04:
                    aliases = self._name(self.person(), noisy=False)
                    self.next_pid -= 1
                r = rng.random()
                if r < 0.08:
                    dob = ""
                elif r < 0.11:
                    d = p.dob
                    dob = f"{d.year}-{d.day:02d}-{d.month:02d}" if d.day <= 12 else d.isoformat()
                elif r < 0.14:
                    dob = _typo(rng, dob.replace("-", ""))[:8]
                    dob = f"{dob[:4]}-{dob[4:6]}-{dob[6:8]}"
                if not fake and rng.random() < 0.35:
                    passport = ""
                elif rng.random() < 0.02:
                    passport = _typo(rng, passport)
                if rng.random() < 0.35:
                    phone = ""
                elif rng.random() < 0.2:
                    phone = self._phone()
                if rng.random() < 0.3:
                    address = ""
                elif rng.random() < 0.2:
                    address = self._address()
                elif rng.random() < 0.1:
                    address = _typo(rng, address)
            elif rng.random() < 0.2:
                passport = ""
            rows.append(
                Row(
                    f"P{start_id + k:07d}",
                    p.pid,
                    name,
                    aliases,
                    dob,
                    p.nationality if rng.random() < 0.9 else "",
                    address,
                    phone,
                    passport,
                )
            )
        return rows


def generate(records: int, *, seed: int = 7) -> Iterator[Row]:
    """``records`` rows in shuffled blocks; ``Row.person`` is the truth.

    About 40 % of people have more than one record (two to five); one person in
    six is a sibling of an earlier one.
    """
    gen = Generator(seed)
    rng = gen.rng
    made = 0
    people: list[Person] = []
    block: list[Row] = []
    while made < records:
        sibling = people[rng.randrange(len(people))] if people and rng.random() < 0.17 else None
        p = gen.person(sibling_of=sibling)
        people.append(p)
        if len(people) > 5000:
            people = people[-2000:]
        n = 1 if rng.random() < 0.6 else rng.choice((2, 2, 2, 3, 3, 4, 5))
        n = min(n, records - made)
        block.extend(gen.records(p, n, made))
        made += n
        if len(block) >= 20000 or made >= records:
            rng.shuffle(block)
            yield from block
            block = []


def write_csv(
    path: Path, records: int, *, seed: int = 7, truth_path: Path | None = None
) -> dict[str, int]:
    """Write the records to ``path`` (CSV), and ``id,person`` to ``truth_path``;
    return ``{record id: person}``."""
    truth: dict[str, int] = {}
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(FIELDS)
        for row in generate(records, seed=seed):
            w.writerow(row.cells())
            truth[row.id] = row.person
    if truth_path is not None:
        with truth_path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(("id", "person"))
            w.writerows(truth.items())
    return truth


#: The column map that reads these files: ``threadline records import --map ...``.
COLUMN_MAP = (
    "id=id,name=full_name,alias=aliases,dob=birth_date,nationality=nationality,"
    "address=address,phone=phone,doc=passport"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--truth", type=Path, help="Also write id,person to this CSV.")
    args = parser.parse_args(argv)
    truth = write_csv(args.output, args.records, seed=args.seed, truth_path=args.truth)
    people = len(set(truth.values()))
    print(f"{len(truth)} records of {people} people -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
