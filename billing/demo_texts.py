"""Texts of the billing demo (billing/demo.py): what consultants write about their time, in Croatian and
English (the organization's language), by the kind of case. `{module}` is the case's module, `{version}` a
release of the demo catalogue."""

# (minutes, weight): most work on a case is short; an afternoon of analysis is rare.
CASE_DURATIONS = [(15, 12), (30, 24), (45, 14), (60, 18), (90, 10), (120, 8), (180, 4), (240, 2)]

# What the work on a case was, for the customer's eyes, by the case's category.
CASE_WORK = {
    "problem": [
        (
            "Analiza greške u modulu {module} i reprodukcija na testnoj bazi.",
            "Analysed the {module} error and reproduced it on a test database.",
        ),
        (
            "Daljinsko spajanje, pregled dnevnika pogrešaka i ispravak postavki.",
            "Remote session: went through the error log and corrected the settings.",
        ),
        (
            "Priprema i izvođenje SQL skripte za ispravak podataka, provjera s korisnikom.",
            "Prepared and ran an SQL script to correct the data; checked it with the customer.",
        ),
        (
            "Instalacija zakrpe {version} i provjera rada modula {module}.",
            "Installed the {version} hotfix and checked that {module} works.",
        ),
        (
            "Provjera knjiženja i usklađivanje s izvještajem nakon ispravka.",
            "Checked the postings and reconciled them with the report after the fix.",
        ),
        (
            "Testiranje ispravka na kopiji baze korisnika.",
            "Tested the fix on a copy of the customer's database.",
        ),
    ],
    "question": [
        (
            "Odgovor na upit o modulu {module}, telefonski razgovor s korisnikom.",
            "Answered the question about {module}; phone call with the customer.",
        ),
        (
            "Izrada kratkih uputa za korisnike modula {module}.",
            "Wrote short instructions for the {module} users.",
        ),
        (
            "Pregled postavki i prijedlog ispravnog postupka.",
            "Reviewed the settings and proposed the right procedure.",
        ),
    ],
    "suggestion": [
        (
            "Analiza prijedloga i procjena izmjene modula {module}.",
            "Analysed the suggestion and estimated the change to {module}.",
        ),
    ],
    "change-request": [
        (
            "Specifikacija izmjene izvještaja i procjena rada.",
            "Specified the report change and estimated the work.",
        ),
        (
            "Izrada i testiranje izmjene u modulu {module}.",
            "Built and tested the change in {module}.",
        ),
    ],
    "other": [
        (
            "Savjetovanje o postavkama modula {module}.",
            "Advice on the {module} settings.",
        ),
    ],
}

# Internal notes: the vendor's own remarks, never shown to the customer.
INTERNAL_NOTES = [
    "Isti problem kao kod drugog korisnika prošli mjesec; provjeriti je li zakrpa ušla u izdanje.",
    "Korisnik nije imao zadnju zakrpu; predložiti nadogradnju.",
    "Trebalo je duže zbog spore VPN veze.",
    "Razvoj obaviješten (DEV-ticket otvoren).",
]
# Time spent on a fault of our own release: logged, but not billed.
NOT_BILLED = (
    "Ispravak greške u izdanju {version}.",
    "Fixed a fault of release {version}.",
    "Greška u našem izdanju: ne naplaćuje se.",
)

# General work for an organization (no case): (minutes, Croatian, English, every how many months).
GENERAL_WORK = [
    (
        360,
        "Edukacija korisnika: obračun plaća i JOPPD, 6 polaznika.",
        "User training: payroll and year-end reporting, 6 participants.",
        5,
    ),
    (
        480,
        "Rad na lokaciji: podrška pri godišnjoj inventuri skladišta.",
        "On-site day: support for the annual warehouse stocktake.",
        6,
    ),
    (
        240,
        "Savjetovanje: priprema za Fiskalizaciju 2.0 i e-račune.",
        "Consulting: preparing for Fiscalisation 2.0 and e-invoices.",
        4,
    ),
    (
        180,
        "Nadogradnja produkcijskog poslužitelja na novo izdanje i provjera.",
        "Upgraded the production server to the new release and checked it.",
        3,
    ),
]
# The travel costs of an on-site day: (Croatian, English, amount in EUR).
TRAVEL = ("Putni troškovi: dolazak na lokaciju", "Travel costs: on-site visit", "95.00")

# The dispute: a customer who finds time on a fault of the vendor's own release billed.
DISPUTE_COMMENT = (
    "Na obračunu je naplaćeno {hours} h rada na slučaju {reference}. Greška je nastala nakon nadogradnje na "
    "vaše izdanje i smatramo da taj rad ne bismo trebali platiti. Molimo ispravak obračuna."
)
DISPUTE_ANSWER = (
    "Provjerili smo: greška je bila u našem izdanju, pa rad na slučaju {reference} ne naplaćujemo. "
    "Izdali smo ispravljeni obračun (revizija 2); molimo da ga pregledate i odobrite."
)
DISPUTE_THANKS = "Hvala, ispravljeni obračun je odobren."
