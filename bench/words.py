"""Texts of generated cases: titles, descriptions and replies in Croatian and English, built from word
lists so that full-text search has real words (with diacritics) to find, in realistic proportions.

Texts are drawn from pools made once per run: composing millions of texts word by word would make the
generator slower than PostgreSQL.
"""

import random

HR_DOCUMENTS = [
    "račun",
    "ulazni račun",
    "izlazni račun",
    "e-račun",
    "otpremnicu",
    "primku",
    "međuskladišnicu",
    "narudžbenicu",
    "ponudu",
    "putni nalog",
    "temeljnicu",
    "izvod banke",
    "JOPPD obrazac",
    "obračun plaće",
    "knjižno odobrenje",
    "inventurnu listu",
    "kalkulaciju",
    "blagajnički izvještaj",
]
HR_PLACES = [
    "skladište",
    "glavnoj knjizi",
    "modulu plaća",
    "blagajni",
    "maloprodaji",
    "fiskalizaciji",
    "osnovnim sredstvima",
    "proizvodnji",
    "nabavi",
    "izvještajima",
    "PDV evidenciji",
    "kadrovskoj evidenciji",
]
HR_PROBLEMS = [
    "greška pri knjiženju",
    "pogrešan iznos PDV-a",
    "spora obrada",
    "prekid ispisa",
    "kriva zaliha",
    "dvostruko knjiženje",
    "neispravan tečaj",
    "nedostaje stavka",
    "zaključavanje razdoblja",
    "pogrešna amortizacija",
    "neuspjelo slanje",
    "krivi obračun bolovanja",
    "pogrešan porez na dohodak",
]
HR_TITLES = [
    "{problem} na dokumentu {document}",
    "Ne mogu proknjižiti {document} u {place}",
    "{Problem} u {place}",
    "Pitanje: kako zatvoriti {document} u {place}?",
    "Prijedlog: masovni ispis za {document}",
    "{Problem} nakon nadogradnje, {place}",
    "Plaća za {month}: {problem}",
    "Fiskalizacija računa javlja grešku {code}",
    "Skladište {code}: {problem}",
    "Zahtjev za promjenu izvještaja u {place}",
]
HR_SENTENCES = [
    "Kod knjiženja dokumenta {document} javlja se greška {code}.",
    "Problem se pojavljuje samo u {place}, ostali moduli rade normalno.",
    "Korisnici u računovodstvu ne mogu završiti mjesečni obračun za {month}.",
    "Isto se događalo i prošli mjesec, nakon nadogradnje na verziju {version}.",
    "Molimo hitnu provjeru jer kasnimo s predajom PDV prijave.",
    "Šaljemo snimku zaslona i primjer dokumenta {document}.",
    "Zaliha u skladištu {code} ne odgovara stanju na inventurnoj listi.",
    "Iznos na računu razlikuje se od iznosa u glavnoj knjizi za nekoliko centi.",
    "Obračun plaće za {month} prikazuje pogrešan iznos doprinosa.",
    "Ispis se prekida na stranici {number} bez ikakve poruke.",
    "Kada pokušamo poslati e-račun kupcu, sustav javlja da dokument nije potpisan.",
    "Trebali bismo mogućnost da {document} izvezemo u Excel.",
    "Nakon zatvaranja razdoblja više ne možemo ispraviti {document}.",
    "Tečajna razlika na izvodu banke knjiži se na krivi konto.",
    "Molimo upute kako pravilno storniramo {document}.",
]
HR_STAFF_REPLIES = [
    "Poštovani, provjerili smo postavke u {place} i ispravili šifru {code}.",
    "Molimo pošaljite nam primjer dokumenta {document} i točno vrijeme greške.",
    "Greška je poznata i ispravljena je u verziji {version}; paket s promjenama je dostupan na portalu.",
    "Zaliha je ponovno izračunata, provjerite stanje skladišta {code}.",
    "Spojili smo se na vaš sustav i ponovili obračun plaće za {month}.",
    "Predlažemo da razdoblje otključa administrator, a zatim ponovno proknjižite {document}.",
    "Uzrok je bio neispravan tečaj; ispravak je proknjižen temeljnicom {number}.",
]
HR_CUSTOMER_REPLIES = [
    "Hvala, sada radi.",
    "Problem se ponovno javlja kod dokumenta {document}.",
    "Šaljem primjer u privitku, greška je {code}.",
    "Možete li se spojiti danas poslijepodne?",
    "Provjerili smo, iznos PDV-a je sada ispravan.",
    "Isto se događa i u {place}.",
]
HR_NOTES = [
    "Interno: provjeriti s razvojem, sličan slučaj je bio prošli tjedan.",
    "Interno: korisnik ima staru verziju {version}, predložiti nadogradnju.",
    "Interno: potrebna izmjena izvještaja, procjena dva sata rada.",
]

EN_DOCUMENTS = [
    "invoice",
    "delivery note",
    "purchase order",
    "goods receipt",
    "payroll run",
    "bank statement",
    "credit note",
    "stock transfer",
    "travel order",
    "journal entry",
]
EN_PLACES = [
    "the warehouse",
    "the general ledger",
    "payroll",
    "fixed assets",
    "sales",
    "purchasing",
    "reports",
]
EN_PROBLEMS = [
    "posting error",
    "wrong VAT amount",
    "slow processing",
    "printing stops",
    "wrong stock level",
    "duplicate posting",
    "missing line",
    "period lock",
    "failed e-invoice delivery",
]
EN_TITLES = [
    "{Problem} on {document}",
    "Cannot post {document} in {place}",
    "{Problem} in {place}",
    "Question: how do we close {document} in {place}?",
    "Suggestion: bulk export of {document}",
    "{Problem} after the upgrade",
]
EN_SENTENCES = [
    "Posting {document} fails with error {code}.",
    "It only happens in {place}; the other modules work.",
    "The month-end closing for {month} cannot be finished.",
    "It started after the upgrade to version {version}.",
    "Please check urgently, the VAT return is due.",
    "The stock in warehouse {code} does not match the count sheet.",
    "Printing stops on page {number} without a message.",
    "We would like to export {document} to Excel.",
]
EN_STAFF_REPLIES = [
    "We checked the settings in {place} and corrected code {code}.",
    "Please send us a sample {document} and the exact time of the error.",
    "This is fixed in version {version}; the upgrade package is on the portal.",
    "We recalculated the stock of warehouse {code}; please check it.",
]
EN_CUSTOMER_REPLIES = [
    "Thank you, it works now.",
    "It happens again with {document}.",
    "The sample is attached, the error is {code}.",
    "Could you connect this afternoon?",
]
EN_NOTES = ["Internal: check with development.", "Internal: customer runs an old version {version}."]

MONTHS = ["siječanj", "veljača", "ožujak", "travanj", "svibanj", "lipanj", "srpanj", "kolovoz", "rujan"]
FIRST_NAMES = ["Ana", "Ivan", "Marija", "Luka", "Petra", "Marko", "Ivana", "Josip", "Katarina", "Tomislav"]
FIRST_NAMES += [
    "Željka",
    "Nikola",
    "Maja",
    "Dario",
    "Jelena",
    "Goran",
    "Lucija",
    "Krešimir",
    "Mateja",
    "Đuro",
]
LAST_NAMES = ["Horvat", "Kovačević", "Babić", "Marić", "Jurić", "Novak", "Knežević", "Vuković", "Šarić"]
LAST_NAMES += ["Perić", "Pavlović", "Blažević", "Grgić", "Božić", "Tomić", "Kovač", "Matić", "Čović", "Žagar"]
COMPANY_WORDS = ["Jadran", "Slavonija", "Dalmacija", "Panonija", "Zagorje", "Istra", "Lika", "Kvarner"]
COMPANY_WORDS += ["Podravka", "Sava", "Drava", "Velebit", "Učka", "Biokovo", "Međimurje", "Neretva"]
COMPANY_KINDS = ["Prehrana", "Logistika", "Gradnja", "Trgovina", "Energija", "Farmacija", "Tekstil", "Promet"]


class _Slots(dict):
    """The words of one text, drawn only for the slots its template uses."""

    def __init__(self, rng: random.Random, hr: bool):
        super().__init__()
        self.rng = rng
        self.hr = hr

    def __missing__(self, key):
        rng, hr = self.rng, self.hr
        if key in ("problem", "Problem"):
            problem = rng.choice(HR_PROBLEMS if hr else EN_PROBLEMS)
            self.update(problem=problem, Problem=problem[0].upper() + problem[1:])
            return self[key]
        value = {
            "document": lambda: rng.choice(HR_DOCUMENTS if hr else EN_DOCUMENTS),
            "place": lambda: rng.choice(HR_PLACES if hr else EN_PLACES),
            "month": lambda: rng.choice(MONTHS),
            "code": lambda: f"{rng.choice('ABCDEFGHKMPRSTVZ')}{rng.randint(100, 9999)}",
            "version": lambda: f"{rng.randint(20, 26)}.{rng.randint(1, 12)}.{rng.randint(0, 9)}",
            "number": lambda: rng.randint(2, 4000),
        }[key]()
        self[key] = value
        return value


class Texts:
    """Pools of ready texts per language; picking from them is cheap enough for millions of rows."""

    def __init__(self, rng: random.Random, pool: int = 4000):
        self.rng = rng
        self.pools = {}
        for lang, words in (("hr", self._hr_words()), ("en", self._en_words())):
            titles, sentences, staff, customer, notes = words
            self.pools[lang] = {
                "title": [self._fill(rng.choice(titles), lang) for _ in range(pool)],
                "sentence": [self._fill(rng.choice(sentences), lang) for _ in range(pool)],
                "staff": [self._fill(rng.choice(staff), lang) for _ in range(pool)],
                "customer": [self._fill(rng.choice(customer), lang) for _ in range(pool)],
                "note": [self._fill(rng.choice(notes), lang) for _ in range(max(1, pool // 4))],
            }

    @staticmethod
    def _hr_words():
        return HR_TITLES, HR_SENTENCES, HR_STAFF_REPLIES, HR_CUSTOMER_REPLIES, HR_NOTES

    @staticmethod
    def _en_words():
        return EN_TITLES, EN_SENTENCES, EN_STAFF_REPLIES, EN_CUSTOMER_REPLIES, EN_NOTES

    def _fill(self, template: str, lang: str) -> str:
        return template.format_map(_Slots(self.rng, lang == "hr"))

    def _pick(self, pool: list[str]) -> str:
        return pool[int(self.rng.random() * len(pool))]  # rng.choice() is three times slower

    def title(self, lang: str) -> str:
        return self._pick(self.pools[lang]["title"])

    def description(self, lang: str) -> str:
        sentences = self.pools[lang]["sentence"]
        return " ".join([self._pick(sentences) for _ in range(2 + int(self.rng.random() * 4))])

    def reply(self, lang: str, side: str) -> str:
        """A reply by "staff" or "customer", or an internal "note"."""
        return self._pick(self.pools[lang][side])


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def company_name(index: int) -> str:
    word = COMPANY_WORDS[index % len(COMPANY_WORDS)]
    kind = COMPANY_KINDS[(index // len(COMPANY_WORDS)) % len(COMPANY_KINDS)]
    legal = "d.d." if index % 5 == 0 else "d.o.o."
    return f"{word} {kind} {legal}"
