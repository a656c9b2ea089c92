namespace PocketTts.Tests.Unit.Text.Normalization;

/// <summary>Written Dutch and how it is spoken, from Dutch conventions: one row per rule or edge.</summary>
public static class DutchNormalizerCases
{
    public static TheoryData<string, string> All { get; } = new()
    {
        // Cardinals: one word up to a thousand ("tweeëntwintig"), a space after "duizend", a period between thousands
        { "ik heb 0 appels", "ik heb nul appels" },
        { "pagina 1", "pagina een" },
        { "hij is 16", "hij is zestien" },
        { "21 dagen", "Eenentwintig dagen" },
        { "na 22 jaar", "na tweeëntwintig jaar" },
        { "nummer 71", "nummer eenenzeventig" },
        { "er zijn 99", "er zijn negenennegentig" },
        { "100 mensen", "Honderd mensen" },
        { "met 1.000 mensen", "met duizend mensen" },
        { "met 2.000 mensen", "met tweeduizend mensen" },
        { "met 1.234 mensen", "met duizend tweehonderdvierendertig mensen" },
        { "precies 1.000.000", "precies een miljoen" },
        { "agent 007", "agent nul nul zeven" },
        { "het is -5 buiten", "het is min vijf buiten" },

        // Decimals
        { "pi is 3,14", "pi is drie komma veertien" },
        { "ongeveer 0,5", "ongeveer nul komma vijf" },
        { "precies 1.234,56", "precies duizend tweehonderdvierendertig komma zesenvijftig" },
        { "van -2,5", "van min twee komma vijf" },
        { "precies 1,05", "precies een komma nul vijf" },

        // Years in hundreds
        { "in 1999", "in negentienhonderdnegenennegentig" },
        { "in 1900", "in negentienhonderd" },
        { "in 1815", "in achttienhonderdvijftien" },
        { "in 2024", "in tweeduizend vierentwintig" },

        // Ordinals: e, ste, de
        { "de 1e keer", "de eerste keer" },
        { "de 1ste keer", "de eerste keer" },
        { "de 2de plaats", "de tweede plaats" },
        { "de 3e dag", "de derde dag" },
        { "de 8ste", "de achtste" },
        { "de 20ste eeuw", "de twintigste eeuw" },
        { "de 100e", "de honderdste" },

        // Money: "euro" does not change in the plural
        { "kost € 3,50", "kost drie euro en vijftig cent" },
        { "kost € 1", "kost een euro" },
        { "kost 5 €", "kost vijf euro" },
        { "kost € 0,99", "kost negenennegentig cent" },
        { "kost € 1.000", "kost duizend euro" },
        { "kost $ 10", "kost tien dollar" },
        { "kost £ 2", "kost twee pond" },

        // Percentages
        { "met 50%", "met vijftig procent" },
        { "met 12,5 %", "met twaalf komma vijf procent" },
        { "met -3%", "met min drie procent" },

        // Times
        { "om 10:30 uur", "om tien uur dertig" },
        { "om 8:00", "om acht uur" },
        { "om 23:15", "om drieëntwintig uur vijftien" },
        { "om 0:05", "om nul uur vijf" },

        // Dates
        { "op 3-5-2024", "op drie mei tweeduizend vierentwintig" },
        { "op 5/5/1945", "op vijf mei negentienhonderdvijfenveertig" },
        { "op 31-12-1999", "op eenendertig december negentienhonderdnegenennegentig" },
        { "op 3 mei 2024", "op drie mei tweeduizend vierentwintig" },

        // Units
        { "na 5 km", "na vijf kilometer" },
        { "weegt 2,5 kg", "weegt twee komma vijf kilogram" },
        { "rijdt 100 km/u", "rijdt honderd kilometer per uur" },
        { "het is -3 °C", "het is min drie graden Celsius" },
        { "het is 1 °C", "het is een graad Celsius" },
        { "weegt 500 g", "weegt vijfhonderd gram" },
        { "duurt 30 min", "duurt dertig minuten" },
        { "duurt 1 min", "duurt een minuut" },
        { "bevat 2 l", "bevat twee liter" },
        { "na 10 m", "na tien meter" },

        // Abbreviations
        { "met dhr. Jansen", "met de heer Jansen" },
        { "met mevr. De Vries", "met mevrouw De Vries" },
        { "bij dr. Bakker", "bij doctor Bakker" },
        { "appels, peren enz.", "appels, peren enzovoort." },
        { "kom bijv. morgen", "kom bijvoorbeeld morgen" },
        { "later, d.w.z. morgen", "later, dat wil zeggen morgen" },
        { "huis nr. 5", "huis nummer vijf" },
        { "zie blz. 12", "zie bladzijde twaalf" },
        { "ongeveer ca. 20", "ongeveer circa twintig" },
    };
}
