namespace PocketTts.Tests.Unit.Text.Normalization;

/// <summary>Written German and how it is spoken, from German conventions: one row per rule or edge.</summary>
public static class GermanNormalizerCases
{
    public static TheoryData<string, string> All { get; } = new()
    {
        // Cardinals: one word, a period between thousands
        { "Ich habe 0 Äpfel.", "Ich habe null Äpfel." },
        { "Seite 1", "Seite eins" },
        { "Zimmer 17", "Zimmer siebzehn" },
        { "21 Tage", "Einundzwanzig Tage" },
        { "nach 71 Jahren", "nach einundsiebzig Jahren" },
        { "genau 99", "genau neunundneunzig" },
        { "über 100 Leute", "über einhundert Leute" },
        { "Seite 101", "Seite einhunderteins" },
        { "mit 1.000 Leuten", "mit eintausend Leuten" },
        { "mit 1.234 Leuten", "mit eintausendzweihundertvierunddreißig Leuten" },
        { "mit 12.345 Leuten", "mit zwölftausenddreihundertfünfundvierzig Leuten" },
        { "genau 1.000.000", "genau eine Million" },
        { "genau 2.500.000", "genau zwei Millionen fünfhunderttausend" },
        { "Agent 007", "Agent null null sieben" },
        { "Es sind -5 Grad", "Es sind minus fünf Grad" },

        // Decimals: digits after "Komma" one by one
        { "Pi ist 3,14", "Pi ist drei Komma eins vier" },
        { "etwa 0,5", "etwa null Komma fünf" },
        { "genau 1.234,56", "genau eintausendzweihundertvierunddreißig Komma fünf sechs" },
        { "von -2,5", "von minus zwei Komma fünf" },
        { "etwa 2.5", "etwa zwei Komma fünf" },

        // Years in hundreds
        { "im Jahr 1999", "im Jahr neunzehnhundertneunundneunzig" },
        { "im Jahr 1900", "im Jahr neunzehnhundert" },
        { "im Jahr 1805", "im Jahr achtzehnhundertfünf" },
        { "im Jahr 1234", "im Jahr zwölfhundertvierunddreißig" },
        { "im Jahr 2024", "im Jahr zweitausendvierundzwanzig" },
        { "im Jahr 2000", "im Jahr zweitausend" },

        // The day of a date, an ordinal in the case the words before ask for
        { "am 3. Mai", "am dritten Mai" },
        { "Der 1. Januar", "Der erste Januar" },
        { "am 03.10.1990", "am dritten Oktober neunzehnhundertneunzig" },
        { "Heute ist der 24.12.2024", "Heute ist der vierundzwanzigste Dezember zweitausendvierundzwanzig" },
        { "Berlin, 9. November 1989", "Berlin, neunter November neunzehnhundertneunundachtzig" },
        { "seit dem 1. April", "seit dem ersten April" },

        // Money
        { "Preis: 3,50 €", "Preis: drei Euro und fünfzig Cent" },
        { "Preis: 1 €", "Preis: ein Euro" },
        { "Preis: €5", "Preis: fünf Euro" },
        { "Preis: 0,99 €", "Preis: neunundneunzig Cent" },
        { "Preis: 1.000 €", "Preis: eintausend Euro" },
        { "Preis: 10 $", "Preis: zehn Dollar" },
        { "Preis: 1 £", "Preis: ein Pfund" },
        { "Preis: 2,01 €", "Preis: zwei Euro und ein Cent" },

        // Percentages
        { "mit 50 %", "mit fünfzig Prozent" },
        { "mit 12,5%", "mit zwölf Komma fünf Prozent" },
        { "mit 100%", "mit einhundert Prozent" },

        // Times
        { "um 10:30 Uhr", "um zehn Uhr dreißig" },
        { "um 8:00", "um acht Uhr" },
        { "um 1:15 Uhr", "um ein Uhr fünfzehn" },
        { "um 0:05", "um null Uhr fünf" },
        { "um 23:59", "um dreiundzwanzig Uhr neunundfünfzig" },

        // Units
        { "Es sind 5 km", "Es sind fünf Kilometer" },
        { "Es ist 1 km lang", "Es ist ein Kilometer lang" },
        { "wiegt 2,5 kg", "wiegt zwei Komma fünf Kilogramm" },
        { "fährt 100 km/h", "fährt einhundert Kilometer pro Stunde" },
        { "Es sind -3 °C", "Es sind minus drei Grad Celsius" },
        { "Es sind -0,5 °C", "Es sind minus null Komma fünf Grad Celsius" },
        { "wiegt 1 t", "wiegt eine Tonne" },
        { "wiegt 3 t", "wiegt drei Tonnen" },
        { "dauert 30 min", "dauert dreißig Minuten" },
        { "dauert 1 h", "dauert eine Stunde" },
        { "wiegt 500 g", "wiegt fünfhundert Gramm" },
        { "enthält 2 l", "enthält zwei Liter" },

        // Abbreviations
        { "Guten Tag, Hr. Müller", "Guten Tag, Herr Müller" },
        { "Fr. Schmidt kommt", "Frau Schmidt kommt" },
        { "bei Dr. Weber", "bei Doktor Weber" },
        { "Obst, z. B. Äpfel", "Obst, zum Beispiel Äpfel" },
        { "Äpfel, Birnen usw.", "Äpfel, Birnen und so weiter." },
        { "Äpfel bzw. Birnen", "Äpfel beziehungsweise Birnen" },
        { "später, d. h. morgen", "später, das heißt morgen" },
        { "Haus Nr. 5", "Haus Nummer fünf" },
        { "etwa ca. 20", "etwa circa zwanzig" },
        { "im Jahr 44 v. Chr.", "im Jahr vierundvierzig vor Christus." },
    };
}
