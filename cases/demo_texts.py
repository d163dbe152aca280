"""The words of the demo cases (cases.demo): what customers of an ERP vendor write, in Croatian and English.

Each scenario names its product module and category codes (cases migration 0003) and carries the texts of
one kind of case; `{n}`, `{version}`, `{dev}`, `{count}` and `{month}` are filled in per case so that no two
cases read the same.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    hr: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.hr


@dataclass(frozen=True)
class Scenario:
    module: str | None
    category: str
    priorities: tuple[str, ...]  # drawn from with equal chances: repeat one to make it likelier
    title: Text
    description: Text
    solution: Text


SCENARIOS = [
    Scenario(
        "finance",
        "problem",
        ("normal", "high", "high"),
        Text(
            "Rekapitulacija PDV-a na računu {n} prikazuje dvostruki iznos",
            "VAT summary on invoice {n} shows the amount twice",
        ),
        Text(
            "Od jučer se na izlaznim računima u rekapitulaciji PDV-a stopa od 25 % pojavljuje dva puta. "
            "Primjer je račun {n}. Ukupni iznos za plaćanje je ispravan, ali kupci nas zovu zbog "
            "ispisa.\n\nVerzija: {version}",
            "Since yesterday the 25 % VAT rate appears twice in the VAT summary of our outgoing invoices. "
            "Invoice {n} is an example. The total to pay is right, but customers are calling us about "
            "the printout.\n\nVersion: {version}",
        ),
        Text(
            "Uzrok je bio predložak ispisa koji se nakon nadogradnje kopirao uz stari. Ispravili smo "
            "predložak na vašoj instalaciji; molim ponovno ispišite račun {n} i potvrdite.",
            "The cause was the print template, copied next to the old one by the upgrade. We corrected "
            "the template on your installation; please print invoice {n} again and confirm.",
        ),
    ),
    Scenario(
        "e-invoicing",
        "problem",
        ("high", "high", "critical"),
        Text(
            "e-Račun {n} odbijen s porukom o neispravnom OIB-u kupca",
            "e-Invoice {n} rejected: buyer's OIB not valid",
        ),
        Text(
            "Pri slanju e-računa {n} informacijski posrednik vraća grešku da OIB kupca nije ispravan. "
            "OIB je u matičnim podacima točan i provjerili smo ga u sudskom registru. Danas nam je "
            "odbijeno {count} računa.",
            "When we send e-invoice {n}, the access point returns an error saying the buyer's OIB is not "
            "valid. The OIB in the master data is right; we checked it in the court register. {count} "
            "invoices were rejected today.",
        ),
        Text(
            "U matičnim podacima kupca OIB je bio upisan s razmakom na kraju, koji ispis ne pokazuje. "
            "Verzija {version} takve razmake sama uklanja; do nadogradnje smo ih očistili skriptom. "
            "Odbijene račune možete ponovno poslati iz pregleda e-računa.",
            "The buyer's OIB was stored with a trailing space that the printout does not show. Version "
            "{version} strips such spaces itself; until you upgrade we cleaned them with a script. You "
            "can resend the rejected invoices from the e-invoice overview.",
        ),
    ),
    Scenario(
        "warehouse",
        "problem",
        ("normal", "high"),
        Text(
            "Negativno stanje zalihe nakon inventure u skladištu {n}",
            "Negative stock after the stocktake in warehouse {n}",
        ),
        Text(
            "Nakon knjiženja inventurnih razlika za {month} nekoliko artikala ima negativno stanje, iako "
            "su fizički na polici. Popis artikala je u prilogu.",
            "After posting the stocktake differences for {month}, several items show negative stock "
            "although they are on the shelf. The list of items is attached.",
        ),
        Text(
            "Inventurne razlike knjižene su s datumom prije zadnje primke, pa se primka obračunala dva "
            "puta. Stornirali smo knjiženje i ponovili ga s ispravnim datumom; stanja su sada točna.",
            "The stocktake differences were posted with a date before the last goods receipt, so the "
            "receipt counted twice. We reversed the posting and repeated it with the right date; stock "
            "levels are correct now.",
        ),
    ),
    Scenario(
        "hr-payroll",
        "question",
        ("normal", "low"),
        Text("Kako isplatiti božićnicu kao neoporezivi primitak?", "How to pay a Christmas bonus tax-free?"),
        Text(
            "Ove godine isplaćujemo božićnicu za {count} radnika. Kako je unijeti da se u JOPPD obrascu "
            "prikaže kao neoporezivi primitak do propisanog iznosa, a ostatak kao plaća?",
            "This year we pay a Christmas bonus to {count} employees. How do we enter it so that the JOPPD "
            "form shows it as tax-free up to the legal limit and the rest as salary?",
        ),
        Text(
            "U obračunu plaće dodajte vrstu primitka „Nagrada (neoporezivo)” do propisanog iznosa i "
            "„Nagrada (oporezivo)” za razliku. Program sam raspoređuje oznake u JOPPD obrascu. Uputa s "
            "primjerom je u dokumentaciji modula Plaće.",
            "In the payroll run add the income type “Bonus (tax-free)” up to the legal limit and “Bonus "
            "(taxable)” for the rest. The program fills the JOPPD codes itself. The payroll manual has a "
            "worked example.",
        ),
    ),
    Scenario(
        "hr-payroll",
        "problem",
        ("high", "critical"),
        Text(
            "Prekovremeni sati pogrešno obračunati za {month}",
            "Overtime calculated wrongly for {month}",
        ),
        Text(
            "U obračunu plaće za {month} prekovremeni sati obračunati su s koeficijentom 1,0 umjesto 1,5. "
            "Radi se o {count} radnika iz smjenskog rada. Plaće isplaćujemo petnaestog.",
            "In the {month} payroll, overtime was paid at a factor of 1.0 instead of 1.5. It affects "
            "{count} shift workers. Salaries are paid on the fifteenth.",
        ),
        Text(
            "Koeficijent je bio vezan uz staru vrstu rada koja je zatvorena 1. siječnja. Povezali smo "
            "novu vrstu rada; molim ponovite obračun za {month} i provjerite jednog radnika prije isplate.",
            "The factor was linked to an old work type closed on 1 January. We linked the new work type; "
            "please rerun the {month} payroll and check one employee before paying.",
        ),
    ),
    Scenario(
        "sales",
        "suggestion",
        ("low", "normal"),
        Text("Prijedlog: rabat po grupi kupaca", "Suggestion: discounts by customer group"),
        Text(
            "Rabate danas unosimo za svakog kupca posebno, a imamo {count} kupaca u tri grupe. Bilo bi "
            "nam puno lakše kad bismo rabat mogli zadati grupi kupaca i po potrebi ga promijeniti za "
            "pojedinog kupca.",
            "Today we enter discounts per customer, and we have {count} customers in three groups. It "
            "would be much easier if we could set a discount for a customer group and override it for a "
            "single customer when needed.",
        ),
        Text(
            "Hvala na prijedlogu. Rabati po grupi kupaca uvršteni su u plan razvoja za verziju {version}; "
            "slučaj ćemo povezati s izdanjem kad bude dostupno.",
            "Thank you for the suggestion. Discounts by customer group are planned for version {version}; "
            "we will link this case to the release when it is available.",
        ),
    ),
    Scenario(
        "purchasing",
        "question",
        ("normal", "low"),
        Text(
            "Povezivanje narudžbenice {n} s ulaznim računom",
            "Linking purchase order {n} to the supplier invoice",
        ),
        Text(
            "Dobavljač je isporuku po narudžbenici {n} fakturirao u dva računa. Kako oba računa povezati "
            "s istom narudžbenicom da nam izvještaj otvorenih narudžbi bude točan?",
            "The supplier invoiced the delivery for purchase order {n} on two invoices. How do we link "
            "both invoices to the same order so that the open orders report is right?",
        ),
        Text(
            "Na ulaznom računu u polju „Narudžbenica” odaberite {n} i označite samo stavke koje taj račun "
            "pokriva. Drugi račun povežite isto; narudžbenica se zatvara kad su sve stavke fakturirane.",
            "On the supplier invoice choose {n} in the “Purchase order” field and tick only the lines "
            "that invoice covers. Link the second invoice the same way; the order closes once every line "
            "is invoiced.",
        ),
    ),
    Scenario(
        "reporting",
        "problem",
        ("normal",),
        Text(
            "Izvoz izvještaja u Excel prekida se nakon 65.536 redaka",
            "Excel export of a report stops after 65,536 rows",
        ),
        Text(
            "Kad izvještaj „Promet po artiklima” izvezemo u Excel, datoteka ima samo prvih 65.536 redaka. "
            "Na ekranu su svi podaci.",
            "When we export the report “Turnover by item” to Excel, the file holds only the first 65,536 "
            "rows. The screen shows all the data.",
        ),
        Text(
            "Izvoz je koristio stari format .xls s ograničenjem broja redaka. U postavkama izvještaja "
            "odaberite format .xlsx; od verzije {version} to je zadano.",
            "The export used the old .xls format with its row limit. Choose .xlsx in the report settings; "
            "from version {version} it is the default.",
        ),
    ),
    Scenario(
        "reporting",
        "suggestion",
        ("low",),
        Text("Prijedlog: nadzorna ploča prodaje po regijama", "Suggestion: sales dashboard by region"),
        Text(
            "Uprava bi voljela jednu stranicu s prodajom po regijama i usporedbom s prošlom godinom, "
            "umjesto da svaki mjesec slažemo tablicu ručno.",
            "Our management would like one page with sales by region compared with last year, instead of "
            "us building the spreadsheet by hand every month.",
        ),
        Text(
            "Prijedlog je prihvaćen i dio je nadzornih ploča u verziji {version}.",
            "The suggestion was accepted and is part of the dashboards in version {version}.",
        ),
    ),
    Scenario(
        "production",
        "problem",
        ("high", "normal"),
        Text(
            "Radni nalog {n} ne razdužuje materijal",
            "Work order {n} does not consume materials",
        ),
        Text(
            "Zatvorili smo radni nalog {n}, gotovi proizvod je zaprimljen na skladište, ali materijal iz "
            "sastavnice nije razdužen. Stanje sirovina je zato previsoko.",
            "We closed work order {n} and the finished product was received into stock, but the "
            "materials of the bill of materials were not consumed, so raw material stock is too high.",
        ),
        Text(
            "Sastavnica je imala datum valjanosti koji je istekao prije zatvaranja naloga. Produljili smo "
            "valjanost i naknadno razdužili materijal za nalog {n}.",
            "The bill of materials had a validity date that ended before the order was closed. We "
            "extended it and consumed the materials for work order {n} afterwards.",
        ),
    ),
    Scenario(
        "fixed-assets",
        "question",
        ("low", "normal"),
        Text("Promjena stope amortizacije tijekom godine", "Changing a depreciation rate during the year"),
        Text(
            "Za {count} osnovnih sredstava mijenjamo stopu amortizacije od 1. srpnja. Hoće li program "
            "obračunati prvo polugodište po staroj, a drugo po novoj stopi?",
            "We change the depreciation rate of {count} fixed assets from 1 July. Will the program use "
            "the old rate for the first half of the year and the new one for the second?",
        ),
        Text(
            "Da: unesite novu stopu s datumom početka primjene 1. 7. Obračun amortizacije dijeli godinu "
            "po razdobljima i za svako koristi stopu koja je tada vrijedila.",
            "Yes: enter the new rate with 1 July as the start date. The depreciation run splits the year "
            "into periods and uses the rate valid in each.",
        ),
    ),
    Scenario(
        "finance",
        "question",
        ("normal",),
        Text(
            "Prijenos početnog stanja nakon zaključenja godine",
            "Carrying opening balances forward after year-end",
        ),
        Text(
            "Zaključili smo poslovnu godinu. Kojim redom pokrenuti prijenos početnog stanja da se otvorene "
            "stavke kupaca i dobavljača prenesu pojedinačno?",
            "We closed the financial year. In what order do we run the balance carry-forward so that open "
            "customer and supplier items are carried forward one by one?",
        ),
        Text(
            "Prvo pokrenite prijenos otvorenih stavki (Financije → Zaključak → Otvorene stavke), zatim "
            "prijenos salda ostalih konta. Postupak je opisan u dokumentu „Zaključak godine”.",
            "First run the open items transfer (Finance → Year-end → Open items), then the balance "
            "transfer of the other accounts. The “Year-end closing” document describes the steps.",
        ),
    ),
    Scenario(
        "finance",
        "change-request",
        ("normal", "high"),
        Text(
            "Uvoz izvoda u formatu camt.053 za novu banku",
            "Import of camt.053 statements from our new bank",
        ),
        Text(
            "Od prošlog mjeseca poslujemo s novom bankom koja izvode šalje samo u formatu camt.053. Molimo "
            "ponudu i rok za prilagodbu uvoza izvoda.",
            "Since last month we work with a new bank that sends statements only as camt.053. Please send an "
            "offer and a date for adapting the statement import.",
        ),
        Text(
            "Uvoz formata camt.053 isporučen je u verziji {version}; postavke banke su podešene na vašoj "
            "instalaciji. Prvi uvoz izvoda prošao je bez razlika.",
            "The camt.053 import shipped in version {version}; the bank settings are configured on your "
            "installation. The first statement import went through without differences.",
        ),
    ),
    Scenario(
        "sales",
        "problem",
        ("normal", "high"),
        Text(
            "Cjenik se ne primjenjuje za novog kupca {n}",
            "Price list not applied for new customer {n}",
        ),
        Text(
            "Novom kupcu {n} dodijelili smo veleprodajni cjenik, ali ponude i dalje dolaze s maloprodajnim "
            "cijenama.",
            "We gave new customer {n} the wholesale price list, but quotes still come with retail prices.",
        ),
        Text(
            "Kupac je imao i posebne cijene iz uvoza, koje imaju prednost pred cjenikom. Uklonili smo "
            "ih; nove ponude imaju veleprodajne cijene.",
            "The customer also had special prices from the import, which take precedence over the price "
            "list. We removed them; new quotes have wholesale prices.",
        ),
    ),
    Scenario(
        "warehouse",
        "suggestion",
        ("low",),
        Text("Prijedlog: skeniranje barkoda mobitelom", "Suggestion: scanning barcodes with a phone"),
        Text(
            "Skladištari bi primke i izdatnice htjeli raditi skeniranjem barkoda mobitelom umjesto "
            "ručnih čitača. Postoji li to u planu?",
            "Our warehouse staff would like to book receipts and issues by scanning barcodes with a phone "
            "instead of handheld scanners. Is that planned?",
        ),
        Text(
            "Mobilna aplikacija za skladište sa skeniranjem kamerom dolazi s verzijom {version}.",
            "A mobile warehouse app that scans with the camera comes with version {version}.",
        ),
    ),
    Scenario(
        "e-invoicing",
        "question",
        ("normal",),
        Text(
            "Slanje e-računa javnom naručitelju",
            "Sending e-invoices to a public sector buyer",
        ),
        Text(
            "Dobili smo ugovor s bolnicom koja traži isključivo e-račune. Što trebamo podesiti da račun "
            "ode kroz servis za javnu nabavu i kako vidimo je li zaprimljen?",
            "We won a contract with a hospital that accepts e-invoices only. What do we set up so the "
            "invoice goes through the public procurement service, and how do we see it was received?",
        ),
        Text(
            "Kupcu u matičnim podacima označite „Javni naručitelj” i upišite broj ugovora. Status "
            "zaprimanja vidi se u pregledu e-računa, stupac „Status primatelja”.",
            "Tick “Public sector buyer” in the customer's master data and enter the contract number. The "
            "receipt status shows in the e-invoice overview, column “Recipient status”.",
        ),
    ),
    Scenario(
        None,
        "other",
        ("low", "normal"),
        Text("Pristup za novu kolegicu u računovodstvu", "Access for a new colleague in accounting"),
        Text(
            "Od ponedjeljka nam u računovodstvu počinje nova kolegica. Trebaju joj prava kao ostalim "
            "knjigovođama. Imamo li slobodnu korisničku licencu?",
            "A new colleague starts in accounting on Monday. She needs the same rights as the other "
            "bookkeepers. Do we have a free user licence?",
        ),
        Text(
            "Imate još {count} slobodnih licenci. Korisnik je otvoren s ulogom „Knjigovođa”; podaci za "
            "prijavu poslani su na njezinu adresu e-pošte.",
            "You have {count} free licences left. The user has been created with the “Bookkeeper” role; "
            "her sign-in details went to her e-mail address.",
        ),
    ),
    Scenario(
        "hr-payroll",
        "change-request",
        ("high",),
        Text(
            "Nove stope poreza na dohodak gradova od 1. siječnja",
            "New city income tax rates from 1 January",
        ),
        Text(
            "Grad je objavio nove stope poreza na dohodak od 1. siječnja. Hoće li tablica stopa biti "
            "ažurirana prije obračuna plaće za siječanj?",
            "The city published new income tax rates from 1 January. Will the rate table be updated "
            "before the January payroll?",
        ),
        Text(
            "Tablica stopa ažurirana je paketom {version} koji je dostupan za preuzimanje. Nakon "
            "instalacije stope su vidljive u šifrarniku gradova i općina.",
            "The rate table is updated by package {version}, available for download. After installing "
            "it, the rates show in the cities and municipalities register.",
        ),
    ),
    Scenario(
        "purchasing",
        "problem",
        ("normal",),
        Text(
            "Uvoz cjenika dobavljača ne prepoznaje č, ć i ž",
            "Supplier price list import garbles Croatian letters",
        ),
        Text(
            "Pri uvozu CSV cjenika dobavljača nazivi artikala dobiju upitnike umjesto slova č, ć i ž. "
            "Datoteka ima {count} redaka; primjer je u prilogu.",
            "When we import the supplier's CSV price list, item names get question marks instead of č, ć "
            "and ž. The file has {count} rows; a sample is attached.",
        ),
        Text(
            "Datoteka je u kodnoj stranici Windows-1250. U postavkama uvoza odaberite tu kodnu stranicu "
            "(ili UTF-8 ako dobavljač promijeni izvoz) i ponovite uvoz.",
            "The file is in the Windows-1250 code page. Choose that code page in the import settings (or "
            "UTF-8 if the supplier changes the export) and import again.",
        ),
    ),
    Scenario(
        "reporting",
        "question",
        ("low",),
        Text(
            "Automatsko slanje izvještaja e-poštom",
            "Sending a report by e-mail on a schedule",
        ),
        Text(
            "Možemo li izvještaj „Dospjela potraživanja” svakog ponedjeljka u 7 sati automatski poslati "
            "upravi e-poštom?",
            "Can we send the report “Overdue receivables” to management by e-mail every Monday at 7 am?",
        ),
        Text(
            "Možete: u izvještaju odaberite „Zakaži slanje”, tjedni ritam, ponedjeljak 7:00 i adrese "
            "primatelja. Izvještaj stiže kao PDF u privitku.",
            "Yes: in the report choose “Schedule”, weekly, Monday 7:00 and the recipients. The report "
            "arrives as an attached PDF.",
        ),
    ),
    Scenario(
        "finance",
        "problem",
        ("high", "normal"),
        Text(
            "Izvod {n} uvezen dva puta",
            "Bank statement {n} imported twice",
        ),
        Text(
            "Izvod broj {n} uvezen je dva puta i sve uplate kupaca su zatvorene dvostruko. Kako poništiti "
            "drugi uvoz bez ručnog razvezivanja {count} stavki?",
            "Statement {n} was imported twice and every customer payment was matched twice. How do we "
            "undo the second import without unmatching {count} items by hand?",
        ),
        Text(
            "Drugi uvoz poništen je zajedno sa zatvaranjima. Uvoz sada odbija izvod s istim brojem i "
            "datumom, pa se dvostruki uvoz ne može ponoviti.",
            "The second import has been undone together with its matches. The import now refuses a "
            "statement with the same number and date, so it cannot happen again.",
        ),
    ),
    Scenario(
        "sales",
        "question",
        ("normal",),
        Text("Storno fiskaliziranog računa {n}", "Cancelling fiscalised invoice {n}"),
        Text(
            "Račun {n} izdali smo na pogrešnog kupca, a već je fiskaliziran. Kako ga ispravno stornirati?",
            "We issued invoice {n} to the wrong customer and it is already fiscalised. How do we cancel it "
            "correctly?",
        ),
        Text(
            "Fiskalizirani račun ne briše se nego stornira: otvorite račun {n} i odaberite „Storno”. "
            "Program izdaje storno račun s negativnim iznosima i fiskalizira ga; zatim izdajte novi "
            "račun ispravnom kupcu.",
            "A fiscalised invoice is never deleted but cancelled: open invoice {n} and choose “Cancel”. "
            "The program issues a cancelling invoice with negative amounts and fiscalises it; then issue "
            "a new invoice to the right customer.",
        ),
    ),
    Scenario(
        "production",
        "suggestion",
        ("low",),
        Text("Prijedlog: Gantt prikaz kapaciteta", "Suggestion: Gantt chart of capacity"),
        Text(
            "Planeri bi trebali grafički prikaz opterećenja strojeva po danima, s mogućnošću "
            "premještanja naloga povlačenjem.",
            "Our planners need a chart of machine load by day where work orders can be moved by dragging.",
        ),
        Text(
            "Gantt prikaz planiran je za verziju {version}; u prvoj fazi bit će samo za pregled, "
            "premještanje dolazi poslije.",
            "The Gantt chart is planned for version {version}; at first it will be read-only, moving "
            "orders comes later.",
        ),
    ),
    Scenario(
        None,
        "problem",
        ("high", "critical"),
        Text("Program je jutrom jako spor", "The system is very slow in the mornings"),
        Text(
            "Svako jutro između 8 i 9 sati otvaranje dokumenata traje i po 30 sekundi. Poslije je sve "
            "normalno. Radi nas oko {count} istovremeno.",
            "Every morning between 8 and 9 opening a document takes up to 30 seconds. Later it is fine. "
            "About {count} of us work at the same time.",
        ),
        Text(
            "Noćno održavanje baze trajalo je do jutra jer se povećao broj dokumenata. Premjestili smo ga "
            "na 2 sata i dodali indeks; jutarnje vrijeme odziva je normalno.",
            "The nightly database maintenance ran into the morning as the number of documents grew. We "
            "moved it to 2 am and added an index; response times in the morning are normal.",
        ),
    ),
]

# The conversation around a case, by kind: "problem" for a bug, "request" for a question, a suggestion or
# anything else. Staff texts avoid gendered verb forms: any consultant may write them.
FIRST_RESPONSES = {
    "problem": [
        Text(
            "Dobar dan, slučaj je kod mene i provjeravam ga na testnoj kopiji vaše baze. Javit ću se danas.",
            "Hello, the case is with me and I am checking it on a test copy of your database. I will get "
            "back to you today.",
        ),
        Text(
            "Hvala na prijavi. Problem mogu ponoviti i radim na rješenju.",
            "Thank you for reporting this. I can reproduce the problem and am working on a fix.",
        ),
        Text(
            "Pozdrav, slučaj je zaprimljen. Gledam postavke na vašoj instalaciji.",
            "Hello, your case has been received. I am looking at the settings of your installation.",
        ),
    ],
    "request": [
        Text(
            "Dobar dan, upit je kod mene i odgovor ćete dobiti danas.",
            "Hello, your request is with me and you will have an answer today.",
        ),
        Text(
            "Hvala na upitu. Provjeravam s kolegama iz razvoja pa se javljam.",
            "Thank you for your request. I am checking with our developers and will get back to you.",
        ),
    ],
}

QUESTIONS = {
    "problem": [
        Text(
            "Možete li poslati snimku zaslona s porukom i točno vrijeme kad se pojavila?",
            "Could you send a screenshot of the message and the exact time it appeared?",
        ),
        Text(
            "Koju verziju programa imate na računalu na kojem se to događa? "
            "Vidi se u izborniku Pomoć → O programu.",
            "Which version runs on the computer where this happens? It is shown under Help → About.",
        ),
        Text(
            "Molim pošaljite broj jednog dokumenta na kojem se vidi problem, "
            "da ga mogu pratiti kroz dnevnik.",
            "Please send the number of one document that shows the problem, so I can follow it in the log.",
        ),
    ],
    "request": [
        Text(
            "Koliko korisnika bi to koristilo i koliko često? To nam pomaže odrediti prioritet.",
            "How many users would use it, and how often? It helps us set the priority.",
        ),
        Text(
            "Možete li opisati primjer iz prakse, s dokumentom na kojem vam to treba?",
            "Could you describe a real example, with a document where you need it?",
        ),
    ],
}

ANSWERS = {
    "problem": [
        Text("Evo, šaljem dnevnik iz jutros u prilogu.", "Here it is, this morning's log is attached."),
        Text(
            "Verzija je {version}, na svim računalima ista.",
            "The version is {version}, the same on every computer.",
        ),
        Text(
            "Primjer je dokument {n}, izrađen jučer poslijepodne.",
            "An example is document {n}, made yesterday afternoon.",
        ),
        Text(
            "Dogodilo se oko 9:15, poruka je bila „Zapis je zaključan”.",
            "It happened around 9:15; the message said “Record is locked”.",
        ),
    ],
    "request": [
        Text(
            "Koristilo bi to {count} kolega, svaki dan.", "About {count} colleagues would use it every day."
        ),
        Text(
            "Primjer je dokument {n}; sada to radimo ručno u Excelu.",
            "An example is document {n}; today we do it by hand in Excel.",
        ),
    ],
}

FOLLOW_UPS = [
    Text("Hvala, to je dovoljno. Nastavljam.", "Thank you, that is enough to go on."),
    Text("Hvala, to mi je pomoglo.", "Thanks, that helps."),
]

THANKS = {
    "problem": [
        Text(
            "Provjerili smo, sve radi. Hvala na brzom rješenju!",
            "We checked and everything works. Thank you for the quick fix!",
        ),
        Text("Potvrđujem, sada je ispravno.", "Confirmed, it is correct now."),
        Text("Super, hvala puno.", "Great, many thanks."),
    ],
    "request": [
        Text("Hvala na odgovoru, to nam je dovoljno.", "Thank you, that answers our question."),
        Text("Super, hvala puno.", "Great, many thanks."),
    ],
}

REOPEN_REASONS = [
    Text(
        "Nažalost, problem se danas ponovio na drugom dokumentu ({n}).",
        "Unfortunately the problem came back today on another document ({n}).",
    ),
    Text(
        "Za većinu je ispravno, ali kod jednog kupca i dalje vidimo staro stanje.",
        "It is right for most, but for one customer we still see the old behaviour.",
    ),
]

SECOND_FIXES = [
    Text(
        "Ispravljeni su i preostali zapisi; molim provjerite još jednom.",
        "The remaining records are corrected too; please check once more.",
    ),
    Text(
        "Bio je još jedan predložak s istom greškom, sada je i on ispravljen.",
        "There was one more template with the same error; it is fixed now as well.",
    ),
]

# Internal notes are written by Croatian-speaking staff whatever the customer's language.
INTERNAL_NOTES = {
    "problem": [
        "Ponovljeno na testnoj bazi, prijavljeno razvoju kao {dev}.",
        "Isti uzrok kao u jednom slučaju prošli mjesec; rješenje je u bazi znanja.",
        "Korisnik ima zastarjeli klijent ({version}), predložiti nadogradnju.",
        "Razvoj potvrdio: ispravak ide u sljedeći servisni paket.",
        "Naplatiti 1 h konzultacija: problem je bio u njihovim postavkama.",
        "Provjereno s razvojem: nema utjecaja na ostale kupce.",
    ],
    "request": [
        "Proslijeđeno voditelju proizvoda, u planu pod {dev}.",
        "Slično su tražila još dva kupca ove godine.",
        "Naplatiti 0,5 h konzultacija.",
    ],
}

STAFF_CLOSING = Text(
    "Zatvaram slučaj jer nismo dobili povratnu informaciju. "
    "Ako se problem ponovi, slobodno ga ponovno otvorite.",
    "I am closing the case as we have not heard back. If the problem comes back, feel free to reopen it.",
)

# In the accusative ("za veljaču"), the only form the texts use.
MONTHS = Text(
    "siječanj|veljaču|ožujak|travanj|svibanj|lipanj|srpanj|kolovoz|rujan|listopad|studeni|prosinac",
    "January|February|March|April|May|June|July|August|September|October|November|December",
)
