#!/usr/bin/env python3
"""Generate the b2bmail sample data set (accounts, contacts, engagement events).

Deterministic: standard library only, fixed seed, no dependence on the system
clock, locale, hash seed or time-zone database.  Run from anywhere:

    /usr/bin/python3 samples/generate.py

It (re)writes accounts.csv, contacts.csv and events.csv next to this script.
All companies, people, domains and the sender "Lumetra" are fictitious; the
sender's links use the reserved .example top-level domain.
"""

import csv
import datetime as dt
import os
import random
import unicodedata

SEED = 20261120
OUT_DIR = os.path.dirname(os.path.abspath(__file__))

# The data set describes the 120 days before this instant (exclusive).
NOW = dt.datetime(2026, 11, 20, 0, 0, 0)
WINDOW_START = NOW - dt.timedelta(days=120)  # 2026-07-23T00:00:00Z

SENDER_SITE = "https://lumetra.example"

# ---------------------------------------------------------------------------
# Time zones: fixed UTC offsets (hours) for the window, with the end of
# daylight saving time where it applies.  Hand-coded so that the output does
# not depend on the tz database installed on the machine.
# zone -> (offset during DST, offset after DST ends, DST end instant in UTC)
EU_DST_END = dt.datetime(2026, 10, 25, 1, 0)
TZ_RULES = {
    "Europe/Berlin": (2, 1, EU_DST_END),
    "Europe/Vienna": (2, 1, EU_DST_END),
    "Europe/Zurich": (2, 1, EU_DST_END),
    "Europe/Paris": (2, 1, EU_DST_END),
    "Europe/Warsaw": (2, 1, EU_DST_END),
    "Europe/Madrid": (2, 1, EU_DST_END),
    "Europe/Rome": (2, 1, EU_DST_END),
    "Europe/Amsterdam": (2, 1, EU_DST_END),
    "Europe/Stockholm": (2, 1, EU_DST_END),
    "Europe/London": (1, 0, EU_DST_END),
    "America/New_York": (-4, -5, dt.datetime(2026, 11, 1, 6, 0)),
    "America/Chicago": (-5, -6, dt.datetime(2026, 11, 1, 7, 0)),
    "America/Denver": (-6, -7, dt.datetime(2026, 11, 1, 8, 0)),
    "America/Los_Angeles": (-7, -8, dt.datetime(2026, 11, 1, 9, 0)),
    "America/Sao_Paulo": (-3, -3, None),
    "Asia/Ho_Chi_Minh": (7, 7, None),
    "Asia/Tokyo": (9, 9, None),
    "Europe/Moscow": (3, 3, None),
    "Europe/Samara": (4, 4, None),
    "Asia/Yekaterinburg": (5, 5, None),
}


def utc_offset(tz, utc):
    dst, std, end = TZ_RULES[tz]
    if end is None or utc < end:
        return dt.timedelta(hours=dst)
    return dt.timedelta(hours=std)


def to_local(tz, utc):
    return utc + utc_offset(tz, utc)


def local_to_utc(tz, local):
    # Good enough: transitions happen at night, campaigns go out by day.
    return local - utc_offset(tz, local)


def iso(ts):
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------
# Accounts (hand-written).  Columns after relationship_owner are generator
# hints and are not written: number of contacts, e-mail address pattern,
# kind of organisation (plant / office / clinic: steers job titles).
ACCOUNTS = [
    # id, name, domains, industry, employees, country, timezone, stage, tier, buying_step, purchase_type, owner, n, pattern, kind
    ("acc-bergmann", "Bergmann Antriebstechnik GmbH", "bergmann-antriebe.de", "manufacturing", 860, "DE", "Europe/Berlin", "consideration", "", "specification", "new_buy", "Katrin Vogel", 7, "first.last", "plant"),
    ("acc-hanseatic", "Hanseatische Kühllogistik GmbH & Co. KG", "hk-kuehllogistik.de", "logistics", 1240, "DE", "Europe/Berlin", "retention", "repeat", "", "straight_rebuy", "Tobias Reinhardt", 6, "f.last", "plant"),
    ("acc-sonnfeld", "Sonnfeld Chemie AG", "sonnfeld-chemie.de;sonnfeld.com", "chemicals", 4300, "DE", "Europe/Berlin", "decision", "", "negotiation", "new_buy", "Katrin Vogel", 9, "first.last", "plant"),
    ("acc-weissach", "Weißach Fahrzeugteile GmbH", "weissach-fahrzeugteile.de", "automotive", 2700, "DE", "Europe/Berlin", "advocacy", "champion", "", "modified_rebuy", "Tobias Reinhardt", 7, "first.last", "plant"),
    ("acc-kronthal", "Kronthal Software GmbH", "kronthal.io", "software", 38, "DE", "Europe/Berlin", "awareness", "", "need", "", "Katrin Vogel", 3, "first", "office"),
    ("acc-auerbach", "Auerbach Klinikbedarf GmbH", "auerbach-klinikbedarf.de", "healthcare", 380, "DE", "Europe/Berlin", "retention", "advocate", "", "straight_rebuy", "Tobias Reinhardt", 5, "f.last", "plant"),
    ("acc-moselstrom", "Moselstrom Energie GmbH", "moselstrom-energie.de", "energy", 610, "DE", "Europe/Berlin", "awareness", "", "", "", "Katrin Vogel", 4, "first.last", "plant"),
    ("acc-donautal", "Donautal Maschinenbau GmbH", "donautal-mb.at", "manufacturing", 520, "AT", "Europe/Vienna", "retention", "champion", "need", "modified_rebuy", "Tobias Reinhardt", 6, "first.last", "plant"),
    ("acc-alpenfrisch", "Alpenfrisch Handels AG", "alpenfrisch.at;alpenfrisch-handel.com", "retail", 1900, "AT", "Europe/Vienna", "awareness", "", "need", "new_buy", "Katrin Vogel", 4, "f.last", "plant"),
    ("acc-seeland", "Seeland Präzision AG", "seeland-praezision.ch", "medical devices", 310, "CH", "Europe/Zurich", "advocacy", "strategic_champion", "", "straight_rebuy", "Tobias Reinhardt", 6, "first.last", "plant"),
    ("acc-limmat", "Limmat Treuhand & Finanz AG", "limmat-finanz.ch", "finance", 95, "CH", "Europe/Zurich", "decision", "", "decision", "new_buy", "Katrin Vogel", 3, "first.last", "office"),
    ("acc-vercors", "Vercors Emballages SAS", "vercors-emballages.fr", "packaging", 740, "FR", "Europe/Paris", "consideration", "", "supplier_search", "new_buy", "Julien Marchand", 5, "first.last", "plant"),
    ("acc-belleville", "Belleville Santé SA", "belleville-sante.fr", "healthcare", 2200, "FR", "Europe/Paris", "retention", "repeat", "", "straight_rebuy", "Julien Marchand", 6, "f.last", "clinic"),
    ("acc-garonne", "Garonne Logistique SARL", "garonne-logistique.fr", "logistics", 180, "FR", "Europe/Paris", "awareness", "", "", "", "Julien Marchand", 3, "first.last", "plant"),
    ("acc-wislanka", "Wiślanka Chemia Sp. z o.o.", "wislanka-chemia.pl", "chemicals", 450, "PL", "Europe/Warsaw", "decision", "one_off", "negotiation", "modified_rebuy", "Marek Nowicki", 5, "first.last", "plant"),
    ("acc-podlaskie", "Podlaskie Zakłady Mechaniczne S.A.", "pzm-podlaskie.pl", "manufacturing", 1350, "PL", "Europe/Warsaw", "retention", "one_off", "", "straight_rebuy", "Marek Nowicki", 6, "f.last", "plant"),
    ("acc-kodano", "Kodano Software Sp. z o.o.", "kodano.pl;kodano.io", "software", 85, "PL", "Europe/Warsaw", "awareness", "", "need", "", "Marek Nowicki", 2, "first", "office"),
    ("acc-albarracin", "Transportes Albarracín S.L.", "transportes-albarracin.es", "logistics", 640, "ES", "Europe/Madrid", "consideration", "", "supplier_search", "new_buy", "Lucía Herrera", 5, "first.last", "plant"),
    ("acc-montseny", "Montseny Energía S.A.", "montseny-energia.es", "energy", 2900, "ES", "Europe/Madrid", "retention", "advocate", "", "modified_rebuy", "Lucía Herrera", 6, "f.last", "plant"),
    ("acc-valtellina", "Valtellina Meccanica S.p.A.", "valtellina-meccanica.it", "manufacturing", 980, "IT", "Europe/Rome", "decision", "", "decision", "new_buy", "Lucía Herrera", 6, "f.last", "plant"),
    ("acc-brenta", "Brenta Alimentari S.r.l.", "brenta-alimentari.it", "food processing", 260, "IT", "Europe/Rome", "awareness", "", "", "", "Lucía Herrera", 3, "first.last", "plant"),
    ("acc-zuiderhaven", "Zuiderhaven Logistics B.V.", "zuiderhaven.nl", "logistics", 1100, "NL", "Europe/Amsterdam", "retention", "champion", "", "straight_rebuy", "Anneke Visser", 6, "first.last", "plant"),
    ("acc-veldkamp", "Veldkamp Zorgsystemen B.V.", "veldkampzorg.nl", "healthcare", 210, "NL", "Europe/Amsterdam", "consideration", "", "specification", "new_buy", "Anneke Visser", 4, "f.last", "plant"),
    ("acc-alvdalen", "Älvdalen Kraft AB", "alvdalenkraft.se", "energy", 3400, "SE", "Europe/Stockholm", "consideration", "one_off", "supplier_search", "modified_rebuy", "Anneke Visser", 6, "first.last", "plant"),
    ("acc-fjallvik", "Fjällvik Verktyg AB", "fjallvik.se", "manufacturing", 420, "SE", "Europe/Stockholm", "advocacy", "advocate", "", "straight_rebuy", "Anneke Visser", 4, "first.last", "plant"),
    ("acc-ashcombe", "Ashcombe Logistics Ltd", "ashcombe-logistics.co.uk", "logistics", 760, "GB", "Europe/London", "retention", "repeat", "need", "modified_rebuy", "Sarah Whitfield", 5, "first.last", "plant"),
    ("acc-thornbury", "Thornbury Capital Partners LLP", "thornburycapital.co.uk", "finance", 120, "GB", "Europe/London", "consideration", "", "specification", "new_buy", "Sarah Whitfield", 3, "f.last", "office"),
    ("acc-harrowgate", "Harrowgate Pharma plc", "harrowgatepharma.co.uk;harrowgate-pharma.com", "pharmaceuticals", 5200, "GB", "Europe/London", "decision", "", "negotiation", "new_buy", "Sarah Whitfield", 7, "first.last", "plant"),
    ("acc-bluemesa", "Blue Mesa Analytics Inc.", "bluemesa-analytics.com", "software", 330, "US", "America/Denver", "awareness", "", "need", "new_buy", "Daniel O'Brien", 3, "flast", "office"),
    ("acc-lakeshore", "Lakeshore Industrial Supply Inc.", "lakeshore-industrial.com", "wholesale distribution", 1450, "US", "America/Chicago", "retention", "strategic_champion", "", "straight_rebuy", "Daniel O'Brien", 6, "flast", "plant"),
    ("acc-harbison", "Harbison Freight Systems LLC", "harbisonfreight.com", "logistics", 8700, "US", "America/New_York", "consideration", "", "supplier_search", "new_buy", "Daniel O'Brien", 7, "first.last", "plant"),
    ("acc-redwoodcrest", "Redwood Crest Medical Group", "redwoodcrestmed.com", "healthcare", 18500, "US", "America/Los_Angeles", "advocacy", "champion", "", "modified_rebuy", "Daniel O'Brien", 7, "first.last", "clinic"),
    ("acc-phulam", "Công ty TNHH Cơ khí Phú Lâm", "phulam-mech.vn", "manufacturing", 640, "VN", "Asia/Ho_Chi_Minh", "consideration", "", "specification", "new_buy", "Trần Quang Minh", 5, "vn", "plant"),
    ("acc-haivan", "Công ty CP Logistics Hải Vân", "haivanlogistics.com.vn", "logistics", 1200, "VN", "Asia/Ho_Chi_Minh", "decision", "one_off", "decision", "modified_rebuy", "Trần Quang Minh", 5, "vn", "plant"),
    ("acc-asaba", "Asaba Seiki Co., Ltd.", "asaba-seiki.co.jp", "manufacturing", 1600, "JP", "Asia/Tokyo", "retention", "repeat", "", "straight_rebuy", "Kenji Mori", 5, "f-last", "plant"),
    ("acc-minatogawa", "湊川化学工業株式会社", "minatogawa-chem.co.jp", "chemicals", 6400, "JP", "Asia/Tokyo", "awareness", "", "", "", "Kenji Mori", 4, "last.first", "plant"),
    ("acc-uralconveyor", "ООО «Уральские конвейерные системы»", "uralconveyor.ru", "manufacturing", 530, "RU", "Asia/Yekaterinburg", "consideration", "", "supplier_search", "new_buy", "Pavel Grishin", 5, "f.last", "plant"),
    ("acc-volzhpolymer", "АО «Волжские полимеры»", "volzhpolymer.ru", "chemicals", 2400, "RU", "Europe/Samara", "retention", "one_off", "", "modified_rebuy", "Pavel Grishin", 5, "f.last", "plant"),
    ("acc-ipe", "Ipê Agroindústria Ltda.", "ipeagro.com.br", "food processing", 1700, "BR", "America/Sao_Paulo", "decision", "repeat", "negotiation", "modified_rebuy", "Mariana Couto", 6, "first.last", "plant"),
    ("acc-serraazul", "Serra Azul Sistemas S.A.", "serraazul.com.br", "software", 22, "BR", "America/Sao_Paulo", "awareness", "", "", "", "Mariana Couto", 2, "first", "office"),
]

ACCOUNT_COLUMNS = ["id", "name", "domains", "industry", "employees", "country", "timezone",
                   "stage", "tier", "buying_step", "purchase_type", "relationship_owner"]

# Who works where, in which language: (name pool, language tag, title pool, weight).
COUNTRY_MIX = {
    "DE": [("DE", "de", "de", 1)],
    "AT": [("AT", "de-AT", "de", 1)],
    "CH": [("CH", "de-CH", "de", 1)],
    "FR": [("FR", "fr", "fr", 1)],
    "PL": [("PL", "pl", "pl", 1)],
    "ES": [("ES", "es", "es", 1)],
    "IT": [("IT", "it", "it", 1)],
    "NL": [("NL", "nl", "nl", 6), ("NL", "en", "en", 4)],
    "SE": [("SE", "sv", "sv", 6), ("SE", "en", "en", 4)],
    "GB": [("GB", "en-GB", "en-GB", 1)],
    "US": [("US", "en-US", "en-US", 1)],
    "VN": [("VN", "vi", "vi", 3), ("VN", "en", "en", 1)],
    "JP": [("JPK", "ja", "ja", 1)],
    "RU": [("RUC", "ru", "ru", 1)],
    "BR": [("BR", "pt-BR", "pt", 1)],
}
ACCOUNT_MIX = {
    "acc-seeland": [("CH", "de-CH", "de", 1), ("CHFR", "fr-CH", "fr", 1)],  # Biel/Bienne
    "acc-asaba": [("JPR", "en", "en", 3), ("JPK", "ja", "ja", 2)],
    "acc-uralconveyor": [("RUL", "en", "en", 1), ("RUC", "ru", "ru", 1)],
}
# A few people work away from their account's head office.
# (account, position) -> (country, timezone, name pool, language, title pool)
CONTACT_PLACE = {
    ("acc-bergmann", 5): ("PL", "Europe/Warsaw", "PL", "pl", "pl"),
    ("acc-harrowgate", 5): ("DE", "Europe/Berlin", "DE", "de", "de"),
    ("acc-zuiderhaven", 4): ("DE", "Europe/Berlin", "DE", "de", "de"),
    ("acc-lakeshore", 3): ("US", "America/New_York", "US", "en-US", "en-US"),
    ("acc-redwoodcrest", 5): ("US", "America/Denver", "US", "en-US", "en-US"),
    ("acc-weissach", 6): ("AT", "Europe/Vienna", "AT", "de-AT", "de"),
    ("acc-sonnfeld", 8): ("GB", "Europe/London", "GB", "en-GB", "en-GB"),
}

# Buying centres.  Default: decision maker, buyer, then the rest.
ROLE_ORDER = ["decision_maker", "buyer", "prescriber", "user", "influencer",
              "gatekeeper", "buyer", "user", "prescriber"]
ROLE_OVERRIDE = {
    "acc-kronthal": ["decision_maker", "prescriber", "user"],
    "acc-kodano": ["decision_maker", "prescriber"],
    "acc-serraazul": ["decision_maker", "prescriber"],
    "acc-limmat": ["decision_maker", "influencer", "gatekeeper"],
    "acc-thornbury": ["decision_maker", "influencer", "gatekeeper"],
    "acc-bluemesa": ["decision_maker", "prescriber", "user"],
    # no decision maker known yet
    "acc-moselstrom": ["buyer", "prescriber", "user", "influencer"],
    "acc-garonne": ["buyer", "user", "gatekeeper"],
    "acc-minatogawa": ["buyer", "prescriber", "influencer", "gatekeeper"],
    "acc-veldkamp": ["prescriber", "buyer", "user", "influencer"],
}

# Titles that must appear (exercise CSV quoting): first contact at the
# account with this role and title pool gets it.
FORCED_TITLES = {
    ("acc-bergmann", "prescriber", "de"): ('Projektleiter "Smart Factory"', 'Projektleiterin "Smart Factory"', "manager", "engineering"),
    ("acc-harrowgate", "buyer", "en-GB"): ("Head of Procurement, EMEA", None, "director", "purchasing"),
    ("acc-lakeshore", "decision_maker", "en-US"): ("VP, Supply Chain", None, "vp", "operations"),
}

# ---------------------------------------------------------------------------
# Names.  Given names by gender; family names either shared or (male, female).
NAMES = {
    "DE": {
        "f": ["Anna", "Katharina", "Sabine", "Claudia", "Jana", "Franziska", "Petra", "Ursula",
              "Bärbel", "Jessica", "Henrike", "Lea-Marie", "Nicole"],
        "m": ["Thomas", "Michael", "Jürgen", "Stefan", "Matthias", "Jörg", "Björn", "Uwe", "Tobias",
              "Florian", "Dominik", "Sören", "Hans-Peter", "Kai"],
        "last": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
                 "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
                 "Zimmermann", "Krüger", "Hoffmann", "Weiß", "Groß", "Köhler", "Böhm", "Pfeiffer",
                 "Strauß", "Kowalczyk", "Lindemann", "Brückner"],
    },
    "DE-TR": {  # German-Turkish families, drawn now and then for DE contacts
        "f": ["Gülay", "Ayşe", "Elif"],
        "m": ["Mehmet", "Emre", "Cem"],
        "last": ["Yılmaz", "Öztürk", "Çelik", "Doğan"],
    },
    "AT": {
        "f": ["Birgit", "Theresa", "Magdalena", "Elisabeth", "Karin", "Verena", "Michaela"],
        "m": ["Florian", "Johann", "Markus", "Wolfgang", "Lukas", "Andreas", "Christoph", "Günther"],
        "last": ["Gruber", "Huber", "Wimmer", "Pichler", "Moser", "Steiner", "Hofer", "Leitner",
                 "Aigner", "Höller", "Pölzl", "Brandstätter", "Wallner", "Mayrhofer", "Fuchs"],
    },
    "CH": {
        "f": ["Corinne", "Regula", "Nadine", "Andrea", "Barbara", "Seraina", "Mirjam"],
        "m": ["Reto", "Urs", "Beat", "Dominik", "Adrian", "Lukas", "Jürg", "Thomas"],
        "last": ["Brunner", "Baumann", "Gerber", "Käser", "Schnyder", "Zürcher", "Egli", "Hürlimann",
                 "Nägeli", "Frei", "Keller", "Ammann", "Bühler"],
    },
    "CHFR": {
        "f": ["Sandrine", "Mélanie", "Valérie", "Aline", "Joëlle"],
        "m": ["Jean-Luc", "Nicolas", "Olivier", "Cédric", "Yves"],
        "last": ["Favre", "Rochat", "Perrenoud", "Jaquier", "Chappuis", "Rossier", "Monnier", "Bovet"],
    },
    "FR": {
        "f": ["Camille", "Élodie", "Hélène", "Amélie", "Chloé", "Sophie", "Mathilde", "Anaïs",
              "Céline", "Marie-Claire", "Bérénice"],
        "m": ["Julien", "François", "Jérôme", "Thibault", "Benoît", "Sébastien", "Grégoire",
              "Antoine", "Loïc", "Jean-Baptiste", "Hervé"],
        "last": ["Martin", "Bernard", "Lefèvre", "Dubois", "Moreau", "Girard", "Lemaître", "Rousseau",
                 "Faure", "Garnier", "Chevalier", "Bonnet", "Mercier", "Le Goff", "Béranger",
                 "Lacroix", "Perrin", "Gauthier"],
    },
    "PL": {
        "f": ["Agnieszka", "Małgorzata", "Katarzyna", "Joanna", "Magdalena", "Bożena", "Żaneta", "Ewa"],
        "m": ["Łukasz", "Paweł", "Krzysztof", "Grzegorz", "Tomasz", "Mariusz", "Michał", "Zbigniew"],
        "last": [("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"), ("Dąbrowski", "Dąbrowska"),
                 ("Zieliński", "Zielińska"), ("Szczęsny", "Szczęsna"), ("Ziółkowski", "Ziółkowska"),
                 "Woźniak", "Wójcik", "Kaczmarek", "Jaśkowiak", "Ćwikła", "Mazur",
                 ("Lewandowski", "Lewandowska"), "Kaźmierczak", ("Gołębiowski", "Gołębiowska")],
    },
    "ES": {
        "f": ["Lucía", "María", "Carmen", "Nuria", "Begoña", "Pilar", "Inés", "Sofía", "Ainhoa",
              "Montserrat"],
        "m": ["Javier", "José Luis", "Álvaro", "Íñigo", "Sergio", "Andrés", "Raúl", "Jordi", "Óscar"],
        "last": ["García", "Martínez", "López", "Fernández", "Sánchez", "Muñoz", "Ibáñez", "Núñez",
                 "Peña", "Castaño", "Ortega", "Gómez", "Serrano", "Vidal", "Puig"],
    },
    "IT": {
        "f": ["Giulia", "Francesca", "Chiara", "Federica", "Alessandra", "Elena", "Silvia"],
        "m": ["Marco", "Luca", "Andrea", "Niccolò", "Stefano", "Matteo", "Davide", "Pierluigi"],
        "last": ["Rossi", "Bianchi", "Ferrari", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Galli",
                 "Conti", "De Luca", "D'Angelo", "Mancini", "Lombardi", "Fabbri", "Cattaneo"],
    },
    "NL": {
        "f": ["Sanne", "Femke", "Lotte", "Inge", "Marieke", "Eline", "Anouk", "Zoë"],
        "m": ["Joris", "Bram", "Pieter", "Sjoerd", "Daan", "Maarten", "Thijs", "Ruud"],
        "last": ["de Vries", "van Dijk", "Jansen", "Bakker", "Visser", "van den Berg", "Smit", "Mulder",
                 "de Boer", "Dekker", "Meijer", "van der Linden", "Hendriks", "Kuijpers"],
    },
    "SE": {
        "f": ["Åsa", "Anna-Karin", "Maja", "Elin", "Sofia", "Ingrid", "Linnéa", "Märta"],
        "m": ["Björn", "Örjan", "Mikael", "Johan", "Anders", "Lars", "Gustav", "Per"],
        "last": ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Lindström", "Åberg",
                 "Sjöberg", "Ström", "Bergqvist", "Öhman", "Hägglund", "Wallén"],
    },
    "GB": {
        "f": ["Emily", "Charlotte", "Hannah", "Priya", "Siobhan", "Sinéad", "Niamh", "Rebecca", "Gemma"],
        "m": ["Oliver", "Harry", "George", "James", "Callum", "Rhys", "Gareth", "Imran"],
        "last": ["Smith", "Jones", "Taylor", "Brown", "Williams", "Davies", "Evans", "Patel", "Khan",
                 "O'Connor", "Clarke", "Hughes", "Thompson", "Wright", "Fairbairn"],
    },
    "US": {
        "f": ["Jennifer", "Emily", "Ashley", "Megan", "Lauren", "María", "Keisha", "Danielle"],
        "m": ["Michael", "Christopher", "Brian", "Kevin", "Jason", "Tyler", "José", "Marcus"],
        "last": ["Johnson", "Miller", "Davis", "Garcia", "Rodriguez", "Wilson", "Anderson", "Nguyen",
                 "Kim", "Thompson", "Martinez", "Robinson", "Walker", "Hernández", "O'Neill", "Kowalski"],
    },
    "VN": {  # given = middle + given name; family name first when spoken
        "f": ["Thị Hương", "Thu Trang", "Ngọc Ánh", "Thị Lan", "Phương Linh", "Minh Thư", "Thanh Hà",
              "Bích Ngọc"],
        "m": ["Văn Hùng", "Minh Tuấn", "Quốc Bảo", "Đức Anh", "Thanh Sơn", "Hoàng Long", "Văn Thắng",
              "Quang Huy"],
        "last": ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
                 "Đỗ", "Hồ", "Ngô", "Dương"],
    },
    "BR": {
        "f": ["Fernanda", "Juliana", "Camila", "Beatriz", "Patrícia", "Letícia", "Ana Clara"],
        "m": ["João", "Rafael", "Lucas", "Thiago", "Márcio", "André", "Gustavo", "Sérgio"],
        "last": ["Silva", "Souza", "Oliveira", "Santos", "Pereira", "Rodrigues", "Almeida", "Conceição",
                 "Gonçalves", "Araújo", "Ribeiro", "Magalhães", "Simões", "Brandão"],
    },
}
# Japanese names: (kanji, romaji).
JA_LAST = [("佐藤", "Sato"), ("鈴木", "Suzuki"), ("高橋", "Takahashi"), ("田中", "Tanaka"),
           ("伊藤", "Ito"), ("渡辺", "Watanabe"), ("山本", "Yamamoto"), ("中村", "Nakamura"),
           ("小林", "Kobayashi"), ("加藤", "Kato"), ("吉田", "Yoshida"), ("松本", "Matsumoto")]
JA_M = [("大輔", "Daisuke"), ("浩二", "Koji"), ("誠", "Makoto"), ("拓也", "Takuya"), ("直樹", "Naoki"),
        ("隆", "Takashi"), ("健一", "Kenichi")]
JA_F = [("美咲", "Misaki"), ("由美", "Yumi"), ("恵子", "Keiko"), ("陽子", "Yoko"), ("真由美", "Mayumi"),
        ("彩", "Aya"), ("久美子", "Kumiko")]
# Russian names in Cyrillic; the romanized pool is derived from them.
RU_M = ["Алексей", "Дмитрий", "Сергей", "Андрей", "Михаил", "Игорь", "Николай", "Павел"]
RU_F = ["Ирина", "Елена", "Ольга", "Наталья", "Татьяна", "Анна", "Юлия", "Светлана"]
RU_LAST = [("Смирнов", "Смирнова"), ("Иванов", "Иванова"), ("Кузнецов", "Кузнецова"),
           ("Попов", "Попова"), ("Соколов", "Соколова"), ("Лебедев", "Лебедева"),
           ("Новиков", "Новикова"), ("Морозов", "Морозова"), ("Волков", "Волкова"),
           ("Фёдоров", "Фёдорова"), ("Зайцев", "Зайцева"), ("Белов", "Белова")]

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
GERMAN = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
SPECIAL = {"ł": "l", "đ": "d", "ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss"}


def ascii_fold(text, german=False):
    """Lower-case ASCII form of a name, for e-mail local parts."""
    out = []
    for ch in text.lower():
        if german and ch in GERMAN:
            out.append(GERMAN[ch])
        elif ch in CYRILLIC:
            out.append(CYRILLIC[ch])
        elif ch in SPECIAL:
            out.append(SPECIAL[ch])
        else:
            out.append(ch)
    text = unicodedata.normalize("NFKD", "".join(out))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c in "-. "))


def romanize_ru(word):
    return ascii_fold(word).capitalize()


# ---------------------------------------------------------------------------
# Job titles by pool and role: (masculine, feminine or None, seniority, department, kind)
# kind: "" any organisation, "P" plants/warehouses only, "O" offices only, "H" clinics only.
T = {}
T["de"] = {
    "decision_maker": [
        ("Geschäftsführer", "Geschäftsführerin", "c_level", "executive", ""),
        ("Kaufmännischer Geschäftsführer", "Kaufmännische Geschäftsführerin", "c_level", "finance", ""),
        ("Technischer Geschäftsführer", "Technische Geschäftsführerin", "c_level", "engineering", "P"),
        ("Werkleiter", "Werkleiterin", "director", "operations", "P"),
        ("Vorstand Finanzen", None, "c_level", "finance", "P"),
        ("Bereichsleiter Produktion", "Bereichsleiterin Produktion", "vp", "production", "P"),
        ("Geschäftsführender Partner", "Geschäftsführende Partnerin", "c_level", "executive", "O"),
    ],
    "buyer": [
        ("Leiter Einkauf", "Leiterin Einkauf", "director", "purchasing", ""),
        ("Strategischer Einkäufer", "Strategische Einkäuferin", "senior", "purchasing", ""),
        ("Einkäufer", "Einkäuferin", "senior", "purchasing", ""),
        ("Teamleiter Einkauf", "Teamleiterin Einkauf", "manager", "purchasing", ""),
        ("Sachbearbeiter Einkauf", "Sachbearbeiterin Einkauf", "entry", "purchasing", ""),
        ("Leiter Einkauf, Logistik und Lager", "Leiterin Einkauf, Logistik und Lager", "director", "purchasing", "P"),
    ],
    "prescriber": [
        ("Technischer Leiter", "Technische Leiterin", "director", "engineering", "P"),
        ("Leiter Konstruktion", "Leiterin Konstruktion", "director", "engineering", "P"),
        ("Konstrukteur", "Konstrukteurin", "senior", "engineering", "P"),
        ("Leiter Qualitätsmanagement", "Leiterin Qualitätsmanagement", "director", "quality", ""),
        ("Prozessingenieur", "Prozessingenieurin", "senior", "engineering", "P"),
        ("Leiter Softwareentwicklung", "Leiterin Softwareentwicklung", "director", "engineering", "O"),
        ("Softwarearchitekt", "Softwarearchitektin", "senior", "it", "O"),
    ],
    "influencer": [
        ("IT-Leiter", "IT-Leiterin", "director", "it", ""),
        ("Controller", "Controllerin", "senior", "finance", ""),
        ("Referent Nachhaltigkeit", "Referentin Nachhaltigkeit", "senior", "operations", "P"),
        ("Leiter Marketing", "Leiterin Marketing", "director", "marketing", ""),
        ("Externer Berater Digitalisierung", "Externe Beraterin Digitalisierung", "senior", "operations", ""),
    ],
    "user": [
        ("Schichtleiter", "Schichtleiterin", "manager", "production", "P"),
        ("Leiter Instandhaltung", "Leiterin Instandhaltung", "manager", "maintenance", "P"),
        ("Disponent", "Disponentin", "senior", "logistics", "P"),
        ("Produktionsplaner", "Produktionsplanerin", "senior", "production", "P"),
        ("Lagerleiter", "Lagerleiterin", "manager", "logistics", "P"),
        ("Servicetechniker", "Servicetechnikerin", "entry", "maintenance", "P"),
        ("Teamleiter Kundenservice", "Teamleiterin Kundenservice", "manager", "operations", "O"),
        ("DevOps Engineer", None, "senior", "it", "O"),
    ],
    "gatekeeper": [
        ("Assistenz der Geschäftsführung", None, "entry", "executive", ""),
        ("Office Manager", "Office Managerin", "manager", "executive", ""),
        ("Teamassistenz Einkauf", None, "entry", "purchasing", "P"),
    ],
}
T["fr"] = {
    "decision_maker": [
        ("Directeur général", "Directrice générale", "c_level", "executive", ""),
        ("Président-directeur général", "Présidente-directrice générale", "c_level", "executive", ""),
        ("Directeur administratif et financier", "Directrice administrative et financière", "c_level", "finance", ""),
        ("Directeur d'usine", "Directrice d'usine", "director", "operations", "P"),
        ("Directeur des opérations", "Directrice des opérations", "vp", "operations", ""),
        ("Directeur d'établissement", "Directrice d'établissement", "director", "executive", "H"),
    ],
    "buyer": [
        ("Directeur des achats", "Directrice des achats", "director", "purchasing", ""),
        ("Responsable achats", None, "manager", "purchasing", ""),
        ("Acheteur", "Acheteuse", "senior", "purchasing", ""),
        ("Acheteur industriel", "Acheteuse industrielle", "senior", "purchasing", "P"),
        ("Acheteur hospitalier", "Acheteuse hospitalière", "senior", "purchasing", "H"),
        ("Assistant achats", "Assistante achats", "entry", "purchasing", ""),
    ],
    "prescriber": [
        ("Responsable bureau d'études", None, "manager", "engineering", "P"),
        ("Ingénieur méthodes", "Ingénieure méthodes", "senior", "engineering", "P"),
        ("Responsable qualité", None, "manager", "quality", ""),
        ("Directeur technique", "Directrice technique", "director", "engineering", "P"),
        ("Chef de projet industrialisation", "Cheffe de projet industrialisation", "manager", "engineering", "P"),
        ("Ingénieur biomédical", "Ingénieure biomédicale", "senior", "engineering", "H"),
    ],
    "influencer": [
        ("Directeur des systèmes d'information", "Directrice des systèmes d'information", "director", "it", ""),
        ("Contrôleur de gestion", "Contrôleuse de gestion", "senior", "finance", ""),
        ("Responsable RSE", None, "manager", "operations", ""),
        ("Consultant externe", "Consultante externe", "senior", "operations", ""),
    ],
    "user": [
        ("Technicien de maintenance", "Technicienne de maintenance", "entry", "maintenance", "P"),
        ("Chef d'atelier", "Cheffe d'atelier", "manager", "production", "P"),
        ("Responsable logistique", None, "manager", "logistics", "P"),
        ("Planificateur de production", "Planificatrice de production", "senior", "production", "P"),
        ("Cadre de santé", None, "manager", "operations", "H"),
        ("Technicien biomédical", "Technicienne biomédicale", "entry", "engineering", "H"),
    ],
    "gatekeeper": [
        ("Assistant de direction", "Assistante de direction", "entry", "executive", ""),
        ("Office manager", None, "manager", "executive", ""),
    ],
}
T["pl"] = {
    "decision_maker": [
        ("Prezes Zarządu", None, "c_level", "executive", ""),
        ("Dyrektor generalny", "Dyrektor generalna", "c_level", "executive", ""),
        ("Dyrektor finansowy", "Dyrektor finansowa", "c_level", "finance", ""),
        ("Dyrektor zakładu", None, "director", "operations", "P"),
        ("Członek Zarządu ds. operacyjnych", None, "c_level", "operations", "P"),
    ],
    "buyer": [
        ("Dyrektor ds. zakupów", None, "director", "purchasing", ""),
        ("Kierownik ds. zakupów", None, "manager", "purchasing", ""),
        ("Kierownik działu zaopatrzenia", None, "manager", "purchasing", "P"),
        ("Starszy specjalista ds. zakupów", "Starsza specjalistka ds. zakupów", "senior", "purchasing", ""),
        ("Specjalista ds. zaopatrzenia", "Specjalistka ds. zaopatrzenia", "entry", "purchasing", ""),
    ],
    "prescriber": [
        ("Główny technolog", None, "director", "engineering", "P"),
        ("Inżynier procesu", None, "senior", "engineering", "P"),
        ("Kierownik działu jakości", None, "manager", "quality", ""),
        ("Konstruktor", "Konstruktorka", "senior", "engineering", "P"),
        ("Kierownik ds. utrzymania ruchu", None, "manager", "maintenance", "P"),
        ("Architekt oprogramowania", "Architektka oprogramowania", "senior", "it", "O"),
    ],
    "influencer": [
        ("Kierownik IT", None, "manager", "it", ""),
        ("Kontroler finansowy", "Kontrolerka finansowa", "senior", "finance", ""),
        ("Doradca zarządu", "Doradczyni zarządu", "senior", "executive", ""),
        ("Specjalista ds. marketingu", "Specjalistka ds. marketingu", "senior", "marketing", ""),
    ],
    "user": [
        ("Mistrz zmiany", None, "manager", "production", "P"),
        ("Planista produkcji", "Planistka produkcji", "senior", "production", "P"),
        ("Kierownik magazynu", None, "manager", "logistics", "P"),
        ("Technik utrzymania ruchu", None, "entry", "maintenance", "P"),
        ("Kierownik zespołu wsparcia", None, "manager", "operations", "O"),
    ],
    "gatekeeper": [
        ("Asystent zarządu", "Asystentka zarządu", "entry", "executive", ""),
        ("Office manager", None, "manager", "executive", ""),
    ],
}
T["es"] = {
    "decision_maker": [
        ("Director General", "Directora General", "c_level", "executive", ""),
        ("Consejero Delegado", "Consejera Delegada", "c_level", "executive", ""),
        ("Director Financiero", "Directora Financiera", "c_level", "finance", ""),
        ("Director de Operaciones", "Directora de Operaciones", "vp", "operations", ""),
        ("Director de Planta", "Directora de Planta", "director", "operations", "P"),
    ],
    "buyer": [
        ("Director de Compras", "Directora de Compras", "director", "purchasing", ""),
        ("Jefe de Compras", "Jefa de Compras", "manager", "purchasing", ""),
        ("Responsable de Compras", None, "manager", "purchasing", ""),
        ("Comprador Sénior", "Compradora Sénior", "senior", "purchasing", ""),
        ("Técnico de Compras", "Técnica de Compras", "entry", "purchasing", ""),
    ],
    "prescriber": [
        ("Director Técnico", "Directora Técnica", "director", "engineering", "P"),
        ("Ingeniero de Procesos", "Ingeniera de Procesos", "senior", "engineering", "P"),
        ("Responsable de Calidad", None, "manager", "quality", ""),
        ("Jefe de Mantenimiento", "Jefa de Mantenimiento", "manager", "maintenance", "P"),
    ],
    "influencer": [
        ("Responsable de Sistemas", None, "manager", "it", ""),
        ("Controller Financiero", "Controller Financiera", "senior", "finance", ""),
        ("Responsable de Sostenibilidad", None, "manager", "operations", ""),
        ("Consultor Externo", "Consultora Externa", "senior", "operations", ""),
    ],
    "user": [
        ("Jefe de Tráfico", "Jefa de Tráfico", "manager", "logistics", "P"),
        ("Técnico de Mantenimiento", "Técnica de Mantenimiento", "entry", "maintenance", "P"),
        ("Planificador de Producción", "Planificadora de Producción", "senior", "production", "P"),
        ("Jefe de Almacén", "Jefa de Almacén", "manager", "logistics", "P"),
    ],
    "gatekeeper": [
        ("Asistente de Dirección", None, "entry", "executive", ""),
        ("Secretario de Dirección", "Secretaria de Dirección", "entry", "executive", ""),
    ],
}
T["it"] = {
    "decision_maker": [
        ("Amministratore Delegato", "Amministratrice Delegata", "c_level", "executive", ""),
        ("Direttore Generale", "Direttrice Generale", "c_level", "executive", ""),
        ("Direttore Finanziario", "Direttrice Finanziaria", "c_level", "finance", ""),
        ("Direttore di Stabilimento", "Direttrice di Stabilimento", "director", "operations", "P"),
    ],
    "buyer": [
        ("Responsabile Acquisti", None, "director", "purchasing", ""),
        ("Responsabile Ufficio Acquisti", None, "manager", "purchasing", ""),
        ("Buyer Senior", None, "senior", "purchasing", ""),
        ("Addetto Acquisti", "Addetta Acquisti", "entry", "purchasing", ""),
    ],
    "prescriber": [
        ("Direttore Tecnico", "Direttrice Tecnica", "director", "engineering", "P"),
        ("Responsabile Qualità", None, "manager", "quality", ""),
        ("Ingegnere di Processo", None, "senior", "engineering", "P"),
        ("Responsabile Ufficio Tecnico", None, "manager", "engineering", "P"),
        ("Responsabile Manutenzione", None, "manager", "maintenance", "P"),
    ],
    "influencer": [
        ("Responsabile IT", None, "manager", "it", ""),
        ("Controller", None, "senior", "finance", ""),
        ("Consulente Esterno", "Consulente Esterna", "senior", "operations", ""),
        ("Responsabile Marketing", None, "manager", "marketing", ""),
    ],
    "user": [
        ("Capoturno", None, "manager", "production", "P"),
        ("Pianificatore della Produzione", "Pianificatrice della Produzione", "senior", "production", "P"),
        ("Tecnico di Manutenzione", "Tecnica di Manutenzione", "entry", "maintenance", "P"),
        ("Capo Magazzino", None, "manager", "logistics", "P"),
    ],
    "gatekeeper": [
        ("Assistente di Direzione", None, "entry", "executive", ""),
        ("Segretario di Direzione", "Segretaria di Direzione", "entry", "executive", ""),
    ],
}
T["nl"] = {
    "decision_maker": [
        ("Algemeen directeur", None, "c_level", "executive", ""),
        ("Financieel directeur", None, "c_level", "finance", ""),
        ("Operationeel directeur", None, "c_level", "operations", ""),
        ("Vestigingsmanager", None, "director", "operations", "P"),
    ],
    "buyer": [
        ("Hoofd Inkoop", None, "director", "purchasing", ""),
        ("Inkoopmanager", None, "manager", "purchasing", ""),
        ("Senior inkoper", None, "senior", "purchasing", ""),
        ("Junior inkoper", None, "entry", "purchasing", ""),
    ],
    "prescriber": [
        ("Hoofd Technische Dienst", None, "director", "maintenance", "P"),
        ("Kwaliteitsmanager", None, "manager", "quality", ""),
        ("Procesingenieur", None, "senior", "engineering", "P"),
        ("Technisch specialist", None, "senior", "engineering", "P"),
    ],
    "influencer": [
        ("IT-manager", None, "manager", "it", ""),
        ("Business controller", None, "senior", "finance", ""),
        ("Adviseur duurzaamheid", None, "senior", "operations", ""),
        ("Marketingmanager", None, "manager", "marketing", ""),
    ],
    "user": [
        ("Planner", None, "senior", "logistics", "P"),
        ("Teamleider magazijn", None, "manager", "logistics", "P"),
        ("Monteur", None, "entry", "maintenance", "P"),
        ("Ploegleider productie", None, "manager", "production", "P"),
    ],
    "gatekeeper": [
        ("Managementassistent", None, "entry", "executive", ""),
        ("Officemanager", None, "manager", "executive", ""),
    ],
}
T["sv"] = {
    "decision_maker": [
        ("VD", None, "c_level", "executive", ""),
        ("Ekonomidirektör", None, "c_level", "finance", ""),
        ("Fabrikschef", None, "director", "operations", "P"),
        ("Driftchef", None, "director", "operations", "P"),
    ],
    "buyer": [
        ("Inköpschef", None, "director", "purchasing", ""),
        ("Strategisk inköpare", None, "senior", "purchasing", ""),
        ("Inköpare", None, "senior", "purchasing", ""),
        ("Inköpsassistent", None, "entry", "purchasing", ""),
    ],
    "prescriber": [
        ("Teknisk chef", None, "director", "engineering", "P"),
        ("Processingenjör", None, "senior", "engineering", "P"),
        ("Kvalitetschef", None, "manager", "quality", ""),
        ("Underhållsingenjör", None, "senior", "maintenance", "P"),
    ],
    "influencer": [
        ("IT-chef", None, "manager", "it", ""),
        ("Controller", None, "senior", "finance", ""),
        ("Hållbarhetsansvarig", None, "manager", "operations", ""),
        ("Marknadschef", None, "director", "marketing", ""),
    ],
    "user": [
        ("Produktionsledare", None, "manager", "production", "P"),
        ("Drifttekniker", None, "entry", "maintenance", "P"),
        ("Produktionsplanerare", None, "senior", "production", "P"),
        ("Lagerchef", None, "manager", "logistics", "P"),
    ],
    "gatekeeper": [
        ("Assistent till VD", None, "entry", "executive", ""),
        ("Kontorschef", None, "manager", "executive", ""),
    ],
}
T["en"] = {
    "decision_maker": [
        ("CEO", None, "c_level", "executive", ""),
        ("COO", None, "c_level", "operations", ""),
        ("CFO", None, "c_level", "finance", ""),
        ("VP Operations", None, "vp", "operations", ""),
        ("Plant Manager", None, "director", "operations", "P"),
        ("CTO", None, "c_level", "it", "O"),
    ],
    "buyer": [
        ("Head of Procurement", None, "director", "purchasing", ""),
        ("Procurement Manager", None, "manager", "purchasing", ""),
        ("Senior Buyer", None, "senior", "purchasing", ""),
        ("Category Manager", None, "manager", "purchasing", ""),
        ("Purchasing Coordinator", None, "entry", "purchasing", ""),
    ],
    "prescriber": [
        ("Head of Engineering", None, "director", "engineering", "P"),
        ("Lead Process Engineer", None, "senior", "engineering", "P"),
        ("Quality Manager", None, "manager", "quality", ""),
        ("Maintenance Manager", None, "manager", "maintenance", "P"),
        ("Software Architect", None, "senior", "it", "O"),
        ("Director of Clinical Engineering", None, "director", "engineering", "H"),
    ],
    "influencer": [
        ("IT Director", None, "director", "it", ""),
        ("Financial Controller", None, "senior", "finance", ""),
        ("Sustainability Lead", None, "senior", "operations", ""),
        ("Head of Marketing", None, "director", "marketing", ""),
        ("Solutions Architect", None, "senior", "it", ""),
    ],
    "user": [
        ("Warehouse Supervisor", None, "manager", "logistics", "P"),
        ("Production Planner", None, "senior", "production", "P"),
        ("Maintenance Technician", None, "entry", "maintenance", "P"),
        ("Shift Supervisor", None, "manager", "production", "P"),
        ("Logistics Coordinator", None, "entry", "logistics", "P"),
        ("Customer Success Lead", None, "manager", "operations", "O"),
        ("DevOps Engineer", None, "senior", "it", "O"),
        ("Biomedical Equipment Technician", None, "entry", "engineering", "H"),
        ("Charge Nurse", None, "manager", "operations", "H"),
    ],
    "gatekeeper": [
        ("Executive Assistant", None, "entry", "executive", ""),
        ("Office Manager", None, "manager", "executive", ""),
    ],
}
T["en-GB"] = {k: list(v) for k, v in T["en"].items()}
T["en-GB"]["decision_maker"] += [("Managing Director", None, "c_level", "executive", ""),
                                 ("Operations Director", None, "director", "operations", "")]
T["en-GB"]["buyer"] += [("Procurement Officer", None, "entry", "purchasing", "")]
T["en-GB"]["decision_maker"].append(("Managing Partner", None, "c_level", "executive", "O"))
T["en-US"] = {k: list(v) for k, v in T["en"].items()}
T["en-US"]["decision_maker"] += [("President", None, "c_level", "executive", ""),
                                 ("Chief Operating Officer", None, "c_level", "operations", "H")]
T["en-US"]["buyer"] += [("Director of Purchasing", None, "director", "purchasing", ""),
                        ("Purchasing Agent", None, "senior", "purchasing", ""),
                        ("Strategic Sourcing Manager", None, "manager", "purchasing", ""),
                        ("Director of Supply Chain", None, "director", "purchasing", "H"),
                        ("Value Analysis Manager", None, "manager", "purchasing", "H")]
T["vi"] = {
    "decision_maker": [
        ("Tổng giám đốc", None, "c_level", "executive", ""),
        ("Giám đốc điều hành", None, "c_level", "executive", ""),
        ("Phó giám đốc sản xuất", None, "vp", "production", "P"),
        ("Giám đốc tài chính", None, "c_level", "finance", ""),
        ("Giám đốc nhà máy", None, "director", "operations", "P"),
    ],
    "buyer": [
        ("Trưởng phòng mua hàng", None, "director", "purchasing", ""),
        ("Phó phòng mua hàng", None, "manager", "purchasing", ""),
        ("Chuyên viên mua hàng", None, "senior", "purchasing", ""),
        ("Nhân viên mua hàng", None, "entry", "purchasing", ""),
    ],
    "prescriber": [
        ("Trưởng phòng kỹ thuật", None, "director", "engineering", "P"),
        ("Kỹ sư quy trình", None, "senior", "engineering", "P"),
        ("Trưởng phòng QA/QC", None, "manager", "quality", ""),
    ],
    "influencer": [
        ("Kế toán trưởng", None, "director", "finance", ""),
        ("Trưởng phòng IT", None, "manager", "it", ""),
        ("Cố vấn ban giám đốc", None, "senior", "executive", ""),
    ],
    "user": [
        ("Quản đốc phân xưởng", None, "manager", "production", "P"),
        ("Trưởng kho", None, "manager", "logistics", "P"),
        ("Điều phối viên vận tải", None, "entry", "logistics", "P"),
        ("Kỹ thuật viên bảo trì", None, "entry", "maintenance", "P"),
    ],
    "gatekeeper": [
        ("Thư ký giám đốc", None, "entry", "executive", ""),
        ("Trợ lý tổng giám đốc", None, "entry", "executive", ""),
    ],
}
T["ja"] = {
    "decision_maker": [
        ("代表取締役社長", None, "c_level", "executive", ""),
        ("常務取締役", None, "c_level", "executive", ""),
        ("取締役 製造本部長", None, "vp", "production", "P"),
        ("工場長", None, "director", "operations", "P"),
    ],
    "buyer": [
        ("購買部長", None, "director", "purchasing", ""),
        ("資材調達課 課長", None, "manager", "purchasing", ""),
        ("購買課 主任", None, "senior", "purchasing", ""),
        ("購買担当", None, "entry", "purchasing", ""),
    ],
    "prescriber": [
        ("生産技術部 部長", None, "director", "engineering", "P"),
        ("品質保証部 課長", None, "manager", "quality", ""),
        ("設計課 主任", None, "senior", "engineering", "P"),
    ],
    "influencer": [
        ("情報システム部長", None, "director", "it", ""),
        ("経理部 課長", None, "manager", "finance", ""),
        ("経営企画室 室長", None, "director", "executive", ""),
    ],
    "user": [
        ("製造課 係長", None, "manager", "production", "P"),
        ("保全課 主任", None, "senior", "maintenance", "P"),
    ],
    "gatekeeper": [
        ("社長秘書", None, "entry", "executive", ""),
        ("総務部 担当", None, "entry", "executive", ""),
    ],
}
T["ru"] = {
    "decision_maker": [
        ("Генеральный директор", None, "c_level", "executive", ""),
        ("Финансовый директор", None, "c_level", "finance", ""),
        ("Технический директор", None, "c_level", "engineering", "P"),
        ("Директор по производству", None, "director", "production", "P"),
        ("Коммерческий директор", None, "c_level", "executive", ""),
    ],
    "buyer": [
        ("Начальник отдела закупок", None, "director", "purchasing", ""),
        ("Ведущий специалист по закупкам", None, "senior", "purchasing", ""),
        ("Менеджер по закупкам", None, "senior", "purchasing", ""),
        ("Специалист отдела снабжения", None, "entry", "purchasing", ""),
    ],
    "prescriber": [
        ("Главный инженер", None, "director", "engineering", "P"),
        ("Главный технолог", None, "director", "engineering", "P"),
        ("Инженер-технолог", None, "senior", "engineering", "P"),
        ("Начальник отдела качества", None, "manager", "quality", ""),
    ],
    "influencer": [
        ("Руководитель ИТ-отдела", None, "manager", "it", ""),
        ("Экономист", None, "senior", "finance", ""),
        ("Консультант по цифровизации", None, "senior", "operations", ""),
    ],
    "user": [
        ("Начальник цеха", None, "manager", "production", "P"),
        ("Мастер участка", None, "senior", "production", "P"),
        ("Механик участка", None, "entry", "maintenance", "P"),
        ("Диспетчер", None, "entry", "logistics", "P"),
    ],
    "gatekeeper": [
        ("Помощник генерального директора", None, "entry", "executive", ""),
        ("Секретарь", None, "entry", "executive", ""),
    ],
}
T["pt"] = {
    "decision_maker": [
        ("Diretor-Presidente", "Diretora-Presidente", "c_level", "executive", ""),
        ("Diretor Financeiro", "Diretora Financeira", "c_level", "finance", ""),
        ("Diretor Industrial", "Diretora Industrial", "director", "operations", "P"),
        ("Sócio-Diretor", "Sócia-Diretora", "c_level", "executive", "O"),
        ("CTO", None, "c_level", "it", "O"),
    ],
    "buyer": [
        ("Diretor de Suprimentos", "Diretora de Suprimentos", "director", "purchasing", ""),
        ("Gerente de Compras", None, "manager", "purchasing", ""),
        ("Comprador Sênior", "Compradora Sênior", "senior", "purchasing", ""),
        ("Analista de Compras", None, "entry", "purchasing", ""),
    ],
    "prescriber": [
        ("Engenheiro de Processos", "Engenheira de Processos", "senior", "engineering", "P"),
        ("Coordenador de Qualidade", "Coordenadora de Qualidade", "manager", "quality", ""),
        ("Gerente de Engenharia", None, "director", "engineering", "P"),
        ("Arquiteto de Software", "Arquiteta de Software", "senior", "it", "O"),
    ],
    "influencer": [
        ("Gerente de TI", None, "manager", "it", ""),
        ("Controller", None, "senior", "finance", ""),
        ("Consultor Externo", "Consultora Externa", "senior", "operations", ""),
    ],
    "user": [
        ("Supervisor de Produção", "Supervisora de Produção", "manager", "production", "P"),
        ("Técnico de Manutenção", "Técnica de Manutenção", "entry", "maintenance", "P"),
        ("Coordenador de Logística", "Coordenadora de Logística", "manager", "logistics", "P"),
    ],
    "gatekeeper": [
        ("Secretário Executivo", "Secretária Executiva", "entry", "executive", ""),
        ("Assistente Administrativo", "Assistente Administrativa", "entry", "executive", ""),
    ],
}
KIND_FLAG = {"plant": "P", "office": "O", "clinic": "H"}

CONTACT_COLUMNS = ["email", "first_name", "last_name", "title", "account_id", "role", "seniority",
                   "department", "language", "country", "timezone", "consent", "unsubscribed",
                   "preferred_channel"]
EVENT_COLUMNS = ["email", "type", "at", "campaign", "bot", "detail", "value"]


# ---------------------------------------------------------------------------
def weighted(rng, items, weights):
    total = sum(weights)
    x = rng.random() * total
    for item, w in zip(items, weights):
        x -= w
        if x < 0:
            return item
    return items[-1]


def pick_name(rng, pool, gender):
    """Return (first_name, last_name, ascii_first, ascii_last) for a name pool."""
    if pool in ("JPK", "JPR"):
        given = rng.choice(JA_F if gender == "f" else JA_M)
        family = rng.choice(JA_LAST)
        if pool == "JPK":
            return given[0], family[0], given[1].lower(), family[1].lower()
        return given[1], family[1], given[1].lower(), family[1].lower()
    if pool in ("RUC", "RUL"):
        given = rng.choice(RU_F if gender == "f" else RU_M)
        family = rng.choice(RU_LAST)[1 if gender == "f" else 0]
        if pool == "RUC":
            return given, family, ascii_fold(given), ascii_fold(family)
        return romanize_ru(given), romanize_ru(family), ascii_fold(given), ascii_fold(family)
    if pool == "DE" and rng.random() < 0.08:
        pool = "DE-TR"
    names = NAMES[pool]
    given = rng.choice(names[gender])
    fam = rng.choice(names["last"])
    if isinstance(fam, tuple):
        fam = fam[1] if gender == "f" else fam[0]
    last = fam
    mail_last = fam
    if pool == "ES" and rng.random() < 0.7:  # two surnames; mail uses the first
        second = rng.choice([n for n in names["last"] if n != fam])
        last = fam + " " + second
    if pool == "BR" and rng.random() < 0.5:  # two surnames; mail uses the last
        first_sn = rng.choice([n for n in names["last"] if n != fam])
        last = first_sn + " " + fam
    german = pool in ("DE", "DE-TR", "AT", "CH")
    return given, last, ascii_fold(given, german), ascii_fold(mail_last, german)


def local_part(pattern, first, last, vn_given=None, vn_family=None):
    first = first.replace(" ", "").replace(".", "")
    last = last.replace(" ", "").replace("-", "").replace(".", "")
    if pattern == "vn":
        syllables = vn_given.split()
        return syllables[-1] + vn_family[0] + "".join(s[0] for s in syllables[:-1])
    if pattern == "first.last":
        return f"{first}.{last}"
    if pattern == "f.last":
        return f"{first[0]}.{last}"
    if pattern == "flast":
        return f"{first[0]}{last}"
    if pattern == "f-last":
        return f"{first[0]}-{last}"
    if pattern == "last.first":
        return f"{last}.{first}"
    if pattern == "first":
        return first
    raise ValueError(pattern)


def pick_title(rng, lang, role, kind, gender, used):
    flag = KIND_FLAG[kind]
    options = [t for t in T[lang][role] if t[4] in ("", flag)]
    if kind != "plant":  # offices and clinics: their own titles first
        own = [t for t in options if t[4] == flag and t[0] not in used]
        if own:
            options = own
    fresh = [t for t in options if t[0] not in used]
    t = rng.choice(fresh or options)
    used.add(t[0])
    return t


def build_contacts(rng):
    contacts = []
    emails = set()
    full_names = set()
    forced_done = set()
    for acc in ACCOUNTS:
        (acc_id, _name, domains, _ind, _emp, country, tz, _stage, _tier, _step, _ptype, _owner,
         n, pattern, kind) = acc
        domain_list = domains.split(";")
        roles = list(ROLE_OVERRIDE.get(acc_id, ROLE_ORDER[:n]))
        assert len(roles) == n, acc_id
        mix = ACCOUNT_MIX.get(acc_id, COUNTRY_MIX[country])
        used_titles = set()
        acc_given, acc_family = set(), set()
        for pos, role in enumerate(roles):
            c_country, c_tz = country, tz
            if (acc_id, pos) in CONTACT_PLACE:
                c_country, c_tz, pool, lang, tpool = CONTACT_PLACE[(acc_id, pos)]
            else:
                pool, lang, tpool, _w = weighted(rng, mix, [m[3] for m in mix])
            gender = "f" if rng.random() < 0.45 else "m"
            for _ in range(100):  # no two namesakes, no repeated given/family name per account
                first, last, a_first, a_last = pick_name(rng, pool, gender)
                if ((first, last) not in full_names and a_first not in acc_given
                        and a_last not in acc_family):
                    break
            full_names.add((first, last))
            acc_given.add(a_first)
            acc_family.add(a_last)
            key = (acc_id, role, tpool)
            if key in FORCED_TITLES and key not in forced_done:
                forced_done.add(key)
                m, f, seniority, dept = FORCED_TITLES[key]
                title = f if (gender == "f" and f) else m
                used_titles.add(m)
            else:
                m, f, seniority, dept, _k = pick_title(rng, tpool, role, kind, gender, used_titles)
                title = f if (gender == "f" and f) else m
            # Secondary domain for some people at companies with two domains.
            domain = domain_list[0]
            if len(domain_list) > 1 and rng.random() < 0.3:
                domain = domain_list[1]
            pat = pattern
            if pattern == "vn" and pool != "VN":
                pat = "first.last"
            candidates = []
            if pat == "vn":
                candidates.append(local_part("vn", "", "", ascii_fold(first), ascii_fold(last)))
                candidates.append(ascii_fold(first).split()[-1] + "." + ascii_fold(last))
            else:
                candidates.append(local_part(pat, a_first, a_last))
                for alt in ("first.last", "f.last", "firstlast"):
                    if alt == "firstlast":
                        candidates.append(local_part("first.last", a_first, a_last).replace(".", ""))
                    else:
                        candidates.append(local_part(alt, a_first, a_last))
            email = None
            for cand in candidates:
                if f"{cand}@{domain}" not in emails:
                    email = f"{cand}@{domain}"
                    break
            k = 2
            while email is None:
                cand = f"{candidates[0]}{k}@{domain}"
                if cand not in emails:
                    email = cand
                k += 1
            emails.add(email)
            contacts.append({
                "email": email, "first_name": first, "last_name": last, "title": title,
                "account_id": acc_id, "role": role, "seniority": seniority, "department": dept,
                "language": lang, "country": c_country, "timezone": c_tz,
                "consent": "", "unsubscribed": "", "preferred_channel": "",
            })
    missing = [k for k in FORCED_TITLES if k not in forced_done]
    assert not missing, missing

    idx = list(range(len(contacts)))
    # ~10 contacts without account_id: the importer matches them by e-mail domain.
    for i in rng.sample(idx, 10):
        contacts[i]["account_id"] = ""
    # Consent: ~5% none, ~25% opt_in, the rest legitimate_interest.
    order = idx[:]
    rng.shuffle(order)
    n_none = round(len(contacts) * 0.05)
    n_opt = round(len(contacts) * 0.25)
    for rank, i in enumerate(order):
        contacts[i]["consent"] = ("none" if rank < n_none else
                                  "opt_in" if rank < n_none + n_opt else "legitimate_interest")
    # Unsubscribed: 4 true, spelled in various ways, as CRMs export them.
    candidates = [i for i in idx if contacts[i]["consent"] != "none"]
    unsub = set(rng.sample(candidates, 4))
    true_spellings = ["true", "yes", "1", "true"]
    for i in idx:
        if i in unsub:
            contacts[i]["unsubscribed"] = true_spellings.pop(0)
        else:
            r = rng.random()
            contacts[i]["unsubscribed"] = "no" if r < 0.04 else "0" if r < 0.07 else "false"
    for c in contacts:
        c["preferred_channel"] = weighted(rng, ["email", "phone", "linkedin", ""], [45, 15, 15, 25])
    return contacts


# ---------------------------------------------------------------------------
# Campaigns: id, send dates, who gets it, landing page.
CAMPAIGNS = [
    ("onboarding-tips", ["2026-07-28"],
     lambda a, c: a["tier"] == "one_off" and c["role"] in ("user", "prescriber", "buyer"),
     "/onboarding/first-90-days"),
    ("q3-webinar", ["2026-08-05"],
     lambda a, c: a["stage"] in ("awareness", "consideration")
     and c["role"] in ("decision_maker", "prescriber", "influencer"),
     "/webinars/q3-predictive-maintenance"),
    ("spec-sheet-prescribers", ["2026-08-25", "2026-09-15"],
     lambda a, c: a["buying_step"] == "specification" and c["role"] in ("prescriber", "user"),
     "/downloads/vibration-sensor-spec-sheet"),
    ("case-study-nurture", ["2026-09-09", "2026-10-13"],
     lambda a, c: a["stage"] == "consideration"
     and c["role"] in ("decision_maker", "buyer", "prescriber"),
     "/case-studies/line-downtime-minus-30-percent"),
    ("supplier-comparison", ["2026-09-30"],
     lambda a, c: a["buying_step"] in ("supplier_search", "negotiation") and c["role"] in ("buyer", "decision_maker"),
     "/compare/condition-monitoring-suppliers"),
    ("product-update-oct", ["2026-10-06"],
     lambda a, c: a["stage"] in ("retention", "advocacy") and c["role"] in ("buyer", "prescriber", "user"),
     "/product-updates/2026-10"),
    ("champion-program-invite", ["2026-10-21"],
     lambda a, c: a["tier"] in ("advocate", "champion", "strategic_champion")
     and c["role"] in ("decision_maker", "influencer"),
     "/partner-program/join"),
    ("trade-fair-invite-nov", ["2026-11-03"],
     lambda a, c: a["country"] in ("DE", "AT", "CH")
     and c["role"] in ("decision_maker", "buyer", "prescriber"),
     "/events/trade-fair-2026/book-a-meeting"),
    ("rebuy-reminder-q4", ["2026-11-10"],
     lambda a, c: a["purchase_type"] == "straight_rebuy" and c["role"] == "buyer",
     "/reorder"),
]

TYPE_ORDER = {"sent": 0, "delivered": 1, "bounced": 1, "opened": 2, "clicked": 3, "converted": 4,
              "unsubscribed": 5, "complained": 5}


def business_hours(tz, utc, rng):
    """Move a human action that would fall at night to the next morning."""
    local = to_local(tz, utc)
    if local.hour < 7:
        local = local.replace(hour=7, minute=rng.randrange(60), second=rng.randrange(60))
    elif local.hour >= 20:
        local = (local + dt.timedelta(days=1)).replace(hour=7 + rng.randrange(2),
                                                       minute=rng.randrange(60), second=rng.randrange(60))
    return local_to_utc(tz, local)


def build_events(rng, contacts, accounts):
    acc = {a["id"]: a for a in accounts}

    def account_of(c):
        return ACC_BY_DOMAIN[c["email"].split("@")[1]]

    def mailable(c):
        return c["consent"] != "none" and c["unsubscribed"] not in ("true", "yes", "1")

    sends = []  # (utc datetime, campaign, url, contact index)
    for camp, dates, target, path in CAMPAIGNS:
        for step, day in enumerate(dates):
            for i, c in enumerate(contacts):
                a = acc[account_of(c)]
                if not mailable(c) or not target(a, c):
                    continue
                local = dt.datetime.fromisoformat(day).replace(hour=9) + dt.timedelta(seconds=rng.randrange(0, 5400))
                sends.append((local_to_utc(c["timezone"], local), camp, step, path, i))
    sends.sort(key=lambda s: (s[0], s[4]))

    # Contacts with a special fate on their first mail.
    first_send = {}
    for s in sends:
        first_send.setdefault(s[4], s)
    recipients = sorted(first_send)
    special = rng.sample(recipients, 9)
    hard, soft, complain, unsubs = special[:3], special[3:6], special[6], special[7:9]

    events = []
    suppressed = set()
    fate_used = set()

    def add(i, typ, at, camp, bot=0, detail="", value=""):
        if WINDOW_START <= at < NOW:
            events.append({"email": contacts[i]["email"], "type": typ, "at": at, "campaign": camp,
                           "bot": str(bot), "detail": detail, "value": value})
            return True
        return False

    conversions = {"awareness": "lead", "consideration": "mql", "decision": "sql",
                   "retention": "lead", "advocacy": "lead"}
    for at, camp, step, path, i in sends:
        if i in suppressed:
            continue
        c = contacts[i]
        tz = c["timezone"]
        a = acc[account_of(c)]
        url = f"{SENDER_SITE}{path}?utm_source=b2bmail&utm_medium=email&utm_campaign={camp}"
        add(i, "sent", at, camp)
        first = first_send[i][0] == at and first_send[i][1] == camp and i not in fate_used
        if first:
            fate_used.add(i)
        if first and i in hard:
            add(i, "bounced", at + dt.timedelta(seconds=rng.randrange(2, 20)), camp, detail="hard")
            suppressed.add(i)
            continue
        if first and i in soft:
            add(i, "bounced", at + dt.timedelta(minutes=rng.randrange(30, 240)), camp, detail="soft")
            continue
        delivered = at + dt.timedelta(seconds=rng.randrange(1, 45))
        add(i, "delivered", delivered, camp)
        # Machine activity: link scanners click seconds after delivery,
        # privacy proxies fetch the tracking pixel.
        r = rng.random()
        if r < 0.025:
            add(i, "opened", delivered + dt.timedelta(seconds=1), camp, bot=1)
            add(i, "clicked", delivered + dt.timedelta(seconds=rng.randrange(2, 4)), camp, bot=1, detail=url)
        elif r < 0.045:
            add(i, "opened", delivered + dt.timedelta(seconds=rng.randrange(3, 90)), camp, bot=1)
        # Humans.
        p_open = 0.38 if a["stage"] in ("decision", "retention", "advocacy") else 0.30
        if first and (i == complain or i in unsubs):
            p_open = 1.0
        if rng.random() >= p_open:
            continue
        u = rng.random()
        if u < 0.2:
            delay = dt.timedelta(minutes=rng.randrange(4, 90))
        elif u < 0.65:
            delay = dt.timedelta(minutes=rng.randrange(90, 26 * 60))
        else:
            delay = dt.timedelta(minutes=rng.randrange(26 * 60, 5 * 24 * 60))
        opened = business_hours(tz, delivered + delay, rng)
        if not add(i, "opened", opened, camp):
            continue
        if first and i == complain:
            add(i, "complained", opened + dt.timedelta(seconds=rng.randrange(5, 60)), camp)
            suppressed.add(i)
            continue
        if first and i in unsubs:
            add(i, "unsubscribed", opened + dt.timedelta(seconds=rng.randrange(10, 120)), camp)
            suppressed.add(i)
            continue
        if rng.random() < 0.12:  # opened again later
            add(i, "opened", business_hours(tz, opened + dt.timedelta(hours=rng.randrange(2, 72)), rng), camp)
        if rng.random() >= 0.25:
            continue
        clicked = opened + dt.timedelta(seconds=rng.randrange(8, 400))
        if not add(i, "clicked", clicked, camp, detail=url):
            continue
        if rng.random() < 0.14:
            add(i, "converted", clicked + dt.timedelta(seconds=rng.randrange(60, 1500)), camp,
                detail=conversions[a["stage"]], value="0")

    # Pipeline milestones recorded by sales: opportunities for accounts in the
    # decision stage, deals for rebuys.  Campaign is the last one that touched
    # the contact, or empty when sales closed it without one.
    last_campaign = {}
    for e in sorted(events, key=lambda e: e["at"]):
        if e["type"] in ("opened", "clicked") and e["bot"] == "0":
            last_campaign[e["email"]] = e["campaign"]

    def key_contact(acc_id, roles):
        cands = [i for i, c in enumerate(contacts)
                 if account_of(c) == acc_id and c["role"] in roles]
        for role in roles:
            engaged = [i for i in cands
                       if contacts[i]["role"] == role and contacts[i]["email"] in last_campaign]
            if engaged:
                return engaged[0]
        return cands[0]

    milestones = [
        # account, roles, stage reached, value, day
        ("acc-sonnfeld", ("buyer", "decision_maker"), "opportunity", "48000", "2026-10-28"),
        ("acc-limmat", ("decision_maker",), "opportunity", "12000", "2026-10-15"),
        ("acc-wislanka", ("buyer", "decision_maker"), "opportunity", "21500", "2026-10-08"),
        ("acc-valtellina", ("decision_maker", "buyer"), "opportunity", "36000", "2026-11-05"),
        ("acc-harrowgate", ("buyer",), "opportunity", "60000", "2026-11-12"),
        ("acc-haivan", ("decision_maker", "buyer"), "deal", "18400.00", "2026-11-17"),
        ("acc-ipe", ("buyer", "decision_maker"), "deal", "27950.00", "2026-11-09"),
        ("acc-hanseatic", ("buyer",), "deal", "4800.00", "2026-10-19"),
        ("acc-lakeshore", ("buyer", "decision_maker"), "deal", "48000.00", "2026-10-27"),
        ("acc-auerbach", ("buyer",), "deal", "1500.00", "2026-11-16"),
        ("acc-seeland", ("buyer", "decision_maker"), "deal", "12750.00", "2026-11-11"),
    ]
    for acc_id, roles, stage, value, day in milestones:
        i = key_contact(acc_id, roles)
        c = contacts[i]
        local = dt.datetime.fromisoformat(day).replace(hour=10 + rng.randrange(7),
                                                        minute=rng.randrange(60), second=rng.randrange(60))
        camp = last_campaign.get(c["email"], "")
        if stage == "deal" and rng.random() < 0.4:
            camp = ""
        add(i, "converted", local_to_utc(c["timezone"], local), camp, detail=stage, value=value)

    events.sort(key=lambda e: (e["at"], e["email"], TYPE_ORDER[e["type"]]))
    for e in events:
        e["at"] = iso(e["at"])
    return events


# ---------------------------------------------------------------------------
def write_csv(path, columns, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for row in rows:
            w.writerow([row[c] for c in columns])


ACC_BY_DOMAIN = {}


def main():
    rng = random.Random(SEED)
    accounts = []
    for a in ACCOUNTS:
        row = dict(zip(ACCOUNT_COLUMNS, a[:12]))
        row["employees"] = str(row["employees"])
        accounts.append(row)
        for d in row["domains"].split(";"):
            ACC_BY_DOMAIN[d] = row["id"]
    assert len(accounts) == 40
    contacts = build_contacts(rng)
    events = build_events(rng, contacts, accounts)
    write_csv(os.path.join(OUT_DIR, "accounts.csv"), ACCOUNT_COLUMNS, accounts)
    write_csv(os.path.join(OUT_DIR, "contacts.csv"), CONTACT_COLUMNS, contacts)
    write_csv(os.path.join(OUT_DIR, "events.csv"), EVENT_COLUMNS, events)
    print(f"accounts: {len(accounts)}, contacts: {len(contacts)}, events: {len(events)}")


if __name__ == "__main__":
    main()
