namespace PocketTts.Tests.Unit.Text.Normalization;

/// <summary>Written Italian and how it is spoken, from Italian conventions: one row per rule or edge.</summary>
public static class ItalianNormalizerCases
{
    public static TheoryData<string, string> All { get; } = new()
    {
        // Cardinals: one word, a period between thousands
        { "ho 0 mele", "ho zero mele" },
        { "pagina 1", "pagina uno" },
        { "ha 16 anni", "ha sedici anni" },
        { "21 giorni", "Ventuno giorni" },
        { "dopo 71 anni", "dopo settantuno anni" },
        { "sono 88", "sono ottantotto" },
        { "100 persone", "Cento persone" },
        { "pagina 101", "pagina centouno" },
        { "con 1.000 persone", "con mille persone" },
        { "con 2.000 persone", "con duemila persone" },
        { "con 1.234 persone", "con milleduecentotrentaquattro persone" },
        { "sono 1.000.000", "sono un milione" },
        { "agente 007", "agente zero zero sette" },
        { "fa -5 fuori", "fa meno cinque fuori" },

        // Decimals
        { "pi greco vale 3,14", "pi greco vale tre virgola quattordici" },
        { "circa 0,5", "circa zero virgola cinque" },
        { "sono 1.234,56", "sono milleduecentotrentaquattro virgola cinquantasei" },
        { "da -2,5", "da meno due virgola cinque" },
        { "sono 1,05", "sono uno virgola zero cinque" },

        // Years
        { "nel 1999", "nel millenovecentonovantanove" },
        { "nel 2024", "nel duemilaventiquattro" },
        { "nel 1861", "nel milleottocentosessantuno" },

        // Ordinals: º and ª
        { "il 1º posto", "il primo posto" },
        { "la 1ª volta", "la prima volta" },
        { "il 2º giorno", "il secondo giorno" },
        { "arrivò 3º", "arrivò terzo" },
        { "la 10ª edizione", "la decima edizione" },
        { "il 21º secolo", "il ventunesimo secolo" },

        // Money: "euro" does not change in the plural
        { "costa 3,50 €", "costa tre euro e cinquanta centesimi" },
        { "costa 1 €", "costa un euro" },
        { "costa €5", "costa cinque euro" },
        { "costa 0,99 €", "costa novantanove centesimi" },
        { "costa 1.000.000 €", "costa un milione di euro" },
        { "costa 10 $", "costa dieci dollari" },
        { "costa 1 $", "costa un dollaro" },
        { "costa 1 £", "costa una sterlina" },
        { "costa 2 £", "costa due sterline" },
        { "costa 2,01 €", "costa due euro e un centesimo" },

        // Percentages
        { "sconto del 50 %", "sconto del cinquanta per cento" },
        { "sconto del 12,5%", "sconto del dodici virgola cinque per cento" },
        { "calo del -3%", "calo del meno tre per cento" },

        // Times
        { "alle 10:30", "alle dieci e trenta" },
        { "alle 8:00", "alle otto" },
        { "all'1:15", "all'una e quindici" },
        { "alle 23:45", "alle ventitré e quarantacinque" },
        { "alle 0:05", "alle zero e cinque" },

        // Dates
        { "il 25/12/2024", "il venticinque dicembre duemilaventiquattro" },
        { "il 1/5/2024", "il primo maggio duemilaventiquattro" },
        { "il 2 giugno 1946", "il due giugno millenovecentoquarantasei" },

        // Units
        { "a 5 km", "a cinque chilometri" },
        { "a 1 km", "a un chilometro" },
        { "pesa 2,5 kg", "pesa due virgola cinque chilogrammi" },
        { "va a 130 km/h", "va a centotrenta chilometri orari" },
        { "ci sono -3 °C", "ci sono meno tre gradi Celsius" },
        { "pesa 1 t", "pesa una tonnellata" },
        { "pesa 500 g", "pesa cinquecento grammi" },
        { "dura 2 h", "dura due ore" },
        { "dura 30 min", "dura trenta minuti" },
        { "contiene 1 l", "contiene un litro" },

        // Abbreviations
        { "il Sig. Rossi", "il signor Rossi" },
        { "la Sig.ra Bianchi", "la signora Bianchi" },
        { "il Dott. Verdi", "il dottor Verdi" },
        { "la Prof.ssa Neri", "la professoressa Neri" },
        { "mele, pere ecc.", "mele, pere eccetera." },
        { "a pag. 5", "a pagina cinque" },
        { "sono ca. 20", "sono circa venti" },
        { "nel 44 a.C.", "nel quarantaquattro avanti Cristo." },
        { "il n° 7", "il numero sette" },
    };
}
