"""The knowledge base of the demo (docs.demo): FAQ, documents, process descriptions
and news about the Jupiter ERP, in Croatian and English; a few entries exist in one language only."""

FAQ_CATEGORIES = [
    ("daily-work", "Svakodnevni rad", "Daily work"),
    ("legal", "Zakonske obveze", "Legal requirements"),
    ("reports", "Izvještaji", "Reports"),
    ("installation", "Instalacija i nadogradnja", "Installation and upgrades"),
    ("access", "Korisnici i pristup", "Users and access"),
]

# (category, module, views, question hr, answer hr, question en, answer en)
FAQ = [
    (
        "daily-work",
        "e-invoicing",
        143,
        "Kako poslati e-Račun kupcu?",
        "1. Otvorite **Prodaja › Izlazni računi** i označite račun.\n"
        "2. Odaberite **Pošalji kao e-Račun**; Jupiter provjeri OIB kupca i njegov pristupni kanal.\n"
        "3. Status slanja pratite u stupcu *e-Račun*: *Poslan*, *Zaprimljen* ili *Odbijen*.\n\n"
        "Ako je račun odbijen, razlog piše u povijesti računa. Ispravite podatke i pošaljite ga ponovno.",
        "How do I send an e-invoice to a customer?",
        "1. Open **Sales › Outgoing invoices** and select the invoice.\n"
        "2. Choose **Send as e-invoice**; Jupiter checks the customer's OIB and access channel.\n"
        "3. Follow the state in the *e-Invoice* column: *Sent*, *Received* or *Rejected*.\n\n"
        "When an invoice is rejected, the reason is in the invoice's history. Correct it and send it again.",
    ),
    (
        "legal",
        "finance",
        88,
        "Kako ispraviti PDV obrazac nakon predaje?",
        "Predani obrazac se ne mijenja. U **Financije › PDV › Obrasci** odaberite razdoblje i "
        "**Izradi ispravak**: Jupiter preuzme stavke izvornog obrasca, a vi unesete ispravke. "
        "Ispravak predajte kroz ePoreznu kao *ispravak PDV obrasca* za isto razdoblje.",
        "How do I correct a VAT return after submitting it?",
        "A submitted return is never changed. In **Finance › VAT › Returns** choose the period and "
        "**Create correction**: Jupiter copies the original lines and you enter the changes. "
        "Submit the correction through ePorezna as a *corrected VAT return* for the same period.",
    ),
    (
        "daily-work",
        "hr-payroll",
        61,
        "Kako obračunati plaću studentu?",
        "Studenti se ne obračunavaju kroz plaće nego kroz **Drugi dohodak › Studentski ugovori**. "
        "Unesite broj ugovora studentskog centra i iznos; doprinosi i porez se izračunaju sami, "
        "a isplata ulazi u JOPPD s oznakom primitka 5201.",
        "",
        "",
    ),
    (
        "legal",
        "hr-payroll",
        97,
        "Zašto Porezna uprava odbija JOPPD obrazac?",
        "Najčešći razlozi su neispravan OIB zaposlenika, datum isplate izvan razdoblja obrasca i "
        "zaokruživanje doprinosa. Jupiter prije slanja pokreće **Provjeru JOPPD-a**: ispravite sve "
        "crveno označene retke, pa obrazac izradite ponovno.",
        "Why does the Tax Administration reject the JOPPD form?",
        "The usual reasons are a wrong employee OIB, a payment date outside the form's period, and the "
        "rounding of contributions. Before sending, Jupiter runs the **JOPPD check**: correct every line "
        "it marks red, then create the form again.",
    ),
    (
        "daily-work",
        "warehouse",
        54,
        "Kako provesti godišnju inventuru skladišta?",
        "U **Skladište › Inventura** otvorite novu inventuru na dan popisa. Ispišite popisne liste ili "
        "koristite mobilni čitač, unesite stvarne količine i pokrenite **Knjiženje razlika**: manjkovi i "
        "viškovi se proknjiže, a zalihe izjednače s popisom.",
        "How do I run the yearly stock count?",
        "In **Warehouse › Stock count** open a new count on the day of the count. Print the count sheets "
        "or use the handheld scanner, enter the counted quantities and run **Post differences**: shortages "
        "and surpluses are posted and stock matches the count.",
    ),
    (
        "daily-work",
        "fixed-assets",
        23,
        "Kako pokrenuti obračun amortizacije?",
        "**Osnovna sredstva › Amortizacija › Novi obračun**: odaberite razdoblje i metodu (mjesečno "
        "ili godišnje). Prije knjiženja pregledajte probni obračun; knjiženje stvara temeljnicu u glavnoj "
        "knjizi.",
        "How do I run depreciation?",
        "**Fixed assets › Depreciation › New run**: choose the period and the method (monthly or yearly). "
        "Check the trial run before posting; posting creates a journal entry in the general ledger.",
    ),
    (
        "legal",
        "sales",
        71,
        "Što učiniti kada fiskalizacija računa ne uspije?",
        "Račun se izdaje i bez odgovora Porezne uprave: ispisuje se sa ZKI kodom, a Jupiter ga šalje "
        "ponovno svakih 15 minuta. Neposlane račune vidite u **Prodaja › Fiskalizacija › Na čekanju**. "
        "Provjerite valjanost certifikata ako greška potraje.",
        "What do I do when the fiscalisation of a receipt fails?",
        "The receipt is issued even without the Tax Administration's answer: it prints with the ZKI code "
        "and Jupiter sends it again every 15 minutes. Unsent receipts are in **Sales › Fiscalisation › "
        "Pending**. Check that the certificate is still valid if the error persists.",
    ),
    (
        "reports",
        "reporting",
        45,
        "",
        "",
        "How do I export a report to Excel?",
        "Every report has **Export › Excel (.xlsx)** in its toolbar. The export keeps the filters and "
        "column order you see; totals become Excel formulas so you can extend the sheet.",
    ),
    (
        "daily-work",
        "finance",
        38,
        "Kako zatvoriti poslovnu godinu?",
        "Zatvaranje ide redom: zaključite sva razdoblja, knjižite amortizaciju i tečajne razlike, "
        "pokrenite **Financije › Zatvaranje godine** i na kraju **Otvaranje nove godine**, koje prenese "
        "početna stanja.",
        "How do I close the financial year?",
        "Closing goes in order: lock every period, post depreciation and exchange differences, run "
        "**Finance › Year end** and finally **Open new year**, which carries the opening balances over.",
    ),
    (
        "access",
        None,
        19,
        "Kako dodati novog korisnika u Jupiter ERP?",
        "Korisnike Jupiter ERP-a dodaje administrator vaše tvrtke u **Administracija › Korisnici**. Broj "
        "istodobnih korisnika određen je licencom; ako je popunjena, zatražite proširenje kroz HelpDesk.",
        "How do I add a new user to Jupiter ERP?",
        "Your company's administrator adds Jupiter ERP users in **Administration › Users**. The number of "
        "concurrent users is set by the licence; when it is full, ask for more through the HelpDesk.",
    ),
]

DRAFT_FAQ = (
    "Kako uključiti dvofaktorsku prijavu?",
    "U pripremi: opis stiže s izdanjem 2026.2.",
    "How do I turn on two-factor sign-in?",
    "In preparation: described with release 2026.2.",
)

# (kind, module, product, title hr, title en, summary hr, summary en, restricted, versions)
# A version is (label, notes, "pdf" or "md", content in Markdown).
DOCUMENTS = [
    (
        "manual",
        "e-invoicing",
        "Jupiter ERP",
        "Korisnički priručnik: e-Račun",
        "User manual: e-Invoicing",
        "Slanje i zaprimanje e-Računa, statusi i najčešće greške.",
        "Sending and receiving e-invoices, their states and the usual errors.",
        False,
        [
            (
                "2025.2",
                "Prvo izdanje priručnika.",
                "pdf",
                "# e-Račun\n\nSlanje računa kupcima kroz sustav e-Račun.",
            ),
            (
                "2026.1",
                "Novi zakonski zahtjevi od 1. siječnja 2026.",
                "pdf",
                "# e-Račun 2026\n\nObvezni e-Račun i između poduzetnika; nova polja na računu.",
            ),
        ],
    ),
    (
        "technical",
        None,
        "Jupiter ERP",
        "Tehnički vodič: instalacija i nadogradnja poslužitelja",
        "Technical guide: server installation and upgrade",
        "Zahtjevi, instalacija, sigurnosne kopije i nadogradnja.",
        "Requirements, installation, backups and upgrades.",
        False,
        [
            ("5.3", "", "pdf", "# Instalacija 5.3\n\nPostgreSQL 15, 8 GB RAM, Windows Server ili Linux."),
            (
                "5.4",
                "Dodana nadogradnja bez prekida rada.",
                "md",
                "# Instalacija i nadogradnja 5.4\n\n"
                "## Zahtjevi\n\n| dio | najmanje |\n| --- | --- |\n| RAM | 8 GB |\n| disk | 100 GB SSD |\n\n"
                "## Nadogradnja\n\n1. Napravite sigurnosnu kopiju baze.\n"
                "2. Pokrenite `jupiter-upgrade --check`.\n"
                "3. Pokrenite `jupiter-upgrade` izvan radnog vremena.",
            ),
        ],
    ),
    (
        "release_notes",
        None,
        "Jupiter ERP",
        "Bilješke uz izdanje 2026.1",
        "Release notes 2026.1",
        "Što donosi izdanje 2026.1.",
        "What release 2026.1 brings.",
        False,
        [
            (
                "2026.1",
                "",
                "md",
                "# Izdanje 2026.1\n\n- e-Račun između poduzetnika\n- brži izvještaji skladišta\n"
                "- novi JOPPD obrazac",
            ),
            (
                "2026.1.1",
                "Ispravak izvoza u Excel.",
                "md",
                "# Izdanje 2026.1.1\n\n- e-Račun između poduzetnika\n- brži izvještaji skladišta\n"
                "- novi JOPPD obrazac\n- **ispravljeno:** izvoz izvještaja u Excel s više od 65 000 redaka",
            ),
        ],
    ),
    (
        "process",
        "sales",
        "Jupiter ERP",
        "Proces: od narudžbe do naplate",
        "Process: order to cash",
        "Od ponude kupcu do zatvaranja otvorene stavke.",
        "From the customer's quote to the settled receivable.",
        False,
        [
            ("1.0", "", "md", "# Od narudžbe do naplate\n\n1. Ponuda\n2. Narudžba\n3. Otpremnica\n4. Račun"),
            (
                "1.1",
                "Dodan korak e-Računa i opomena.",
                "md",
                "# Od narudžbe do naplate\n\n1. **Ponuda** kupcu iz Prodaje.\n2. **Narudžba** potvrđena "
                "ponudom.\n3. **Otpremnica** rezervira i skida zalihu.\n4. **Račun** se šalje kao e-Račun.\n"
                "5. **Naplata**: izvod banke zatvara stavku; neplaćene stavke dobiju opomenu nakon 15 dana.",
            ),
        ],
    ),
    (
        "process",
        "hr-payroll",
        "Jupiter ERP",
        "Proces: mjesečni obračun plaća",
        "Process: monthly payroll",
        "Od evidencije radnog vremena do JOPPD obrasca i isplate.",
        "From time records to the JOPPD form and the payment.",
        False,
        [
            ("2025", "", "pdf", "# Obračun plaća\n\nEvidencija sati, obračun, JOPPD, isplata."),
            (
                "2026",
                "Nove stope poreza na dohodak.",
                "md",
                "# Mjesečni obračun plaća\n\n1. Zaključite **evidenciju radnog vremena**.\n2. Pokrenite "
                "**probni obračun** i provjerite odstupanja.\n3. **Konačni obračun** i JOPPD.\n"
                "4. **Isplata**: datoteka za banku (SEPA).",
            ),
        ],
    ),
    (
        "process",
        "warehouse",
        "Jupiter ERP",
        "Proces: zaprimanje robe na skladište",
        "Process: receiving goods",
        "Primka, kontrola kvalitete i knjiženje ulaznog računa.",
        "Goods receipt, quality check and posting the supplier's invoice.",
        False,
        [
            ("1.0", "", "md", "# Zaprimanje robe\n\nPrimka prema narudžbi dobavljaču."),
            (
                "1.1",
                "Dodana kontrola kvalitete.",
                "md",
                "# Zaprimanje robe\n\n1. **Primka** prema narudžbi dobavljaču.\n2. **Kontrola kvalitete**: "
                "neispravna roba ide na skladište karantene.\n3. **Ulazni račun** se spaja s primkom.",
            ),
        ],
    ),
    (
        "manual",
        "reporting",  # restricted: of the demo organizations, only Slavonija's licence includes Reporting
        "Jupiter ERP",
        "Konsolidacija grupe: priručnik",
        "Group consolidation manual",
        "Za tvrtke koje licenciraju modul konsolidacije.",
        "For companies that license the consolidation module.",
        True,
        [
            ("1.0", "", "pdf", "# Konsolidacija\n\nEliminacija unutargrupnih odnosa."),
            ("1.1", "Dodan primjer s tri društva.", "pdf", "# Konsolidacija\n\nPrimjer grupe s tri društva."),
        ],
    ),
]

# (days from now, title hr, summary hr, body hr, title en, summary en, body en, for the first organization)
NEWS = [
    (
        -12,
        "Novi zakonski zahtjevi za e-Račun od 1. siječnja 2026.",
        "e-Račun postaje obvezan i između poduzetnika.",
        "Od 1. siječnja 2026. račune između poduzetnika treba slati kao **e-Račun**. Jupiter ERP to "
        "podržava od izdanja 2026.1; pogledajte [priručnik](/knowledge/documents/).",
        "New e-invoicing rules from 1 January 2026",
        "e-Invoicing becomes mandatory between businesses too.",
        "From 1 January 2026 invoices between businesses must be sent as **e-invoices**. Jupiter ERP "
        "supports this from release 2026.1; see the [manual](/knowledge/documents/).",
        False,
    ),
    (
        -3,
        "Izašlo je izdanje 2026.1",
        "e-Račun između poduzetnika, brži izvještaji i novi JOPPD.",
        "Izdanje **2026.1** je dostupno za nadogradnju. Bilješke uz izdanje su u dokumentaciji.",
        "Release 2026.1 is out",
        "Business-to-business e-invoicing, faster reports and the new JOPPD.",
        "Release **2026.1** is ready to install. The release notes are in the documentation.",
        False,
    ),
    (
        -1,
        "Održavanje HelpDeska u subotu od 8 do 10 sati",
        "Portal neće biti dostupan dva sata.",
        "U subotu od 8 do 10 sati HelpDesk se nadograđuje. Hitne slučajeve prijavite telefonom.",
        "",
        "",
        "",
        False,
    ),
    (
        0,
        "Vaša nadogradnja na 2026.1 je zakazana",
        "Termin nadogradnje za vašu tvrtku.",
        "Nadogradnju vašeg sustava na izdanje 2026.1 izvodimo u petak nakon 18 sati.",
        "Your upgrade to 2026.1 is scheduled",
        "The upgrade date for your company.",
        "We upgrade your system to release 2026.1 on Friday after 18:00.",
        True,
    ),
    (
        5,
        "Webinar: zatvaranje poslovne godine",
        "Prijave su otvorene.",
        "Pokazat ćemo zatvaranje godine korak po korak.",
        "Webinar: closing the financial year",
        "Registration is open.",
        "We show the year-end close step by step.",
        False,
    ),
]
