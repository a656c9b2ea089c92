namespace PocketTts.Tests.Unit.Text.Normalization;

/// <summary>Written French and how it is spoken, from French conventions: one row per rule or edge.</summary>
public static class FrenchNormalizerCases
{
    public static TheoryData<string, string> All { get; } = new()
    {
        // Cardinals: "et" in 21 and 71, the plural of 80 and 200, a space (or a no-break space) between thousands
        { "J'ai 0 pomme.", "J'ai zéro pomme." },
        { "il a 1 chat", "il a un chat" },
        { "il y a 16 ans", "il y a seize ans" },
        { "il a 17 ans", "il a dix-sept ans" },
        { "21 jours", "Vingt et un jours" },
        { "page 71", "page soixante et onze" },
        { "les 80 ans", "les quatre-vingts ans" },
        { "il reste 81 places", "il reste quatre-vingt-un places" },
        { "il reste 91 places", "il reste quatre-vingt-onze places" },
        { "les 99 ballons", "les quatre-vingt-dix-neuf ballons" },
        { "les 100 personnes", "les cent personnes" },
        { "les 200 jours", "les deux cents jours" },
        { "page 201", "page deux cent un" },
        { "avec 1 000 soldats", "avec mille soldats" },
        { "avec 2 000 soldats", "avec deux mille soldats" },
        { "soit 1 234 votes", "soit mille deux cent trente-quatre votes" },
        { "soit 12\u00A0345 votes", "soit douze mille trois cent quarante-cinq votes" },
        { "soit 3\u202F000 votes", "soit trois mille votes" },
        { "un total de 2 500 000", "un total de deux millions cinq cent mille" },
        { "agent 007", "agent zéro zéro sept" },
        { "il fait -5 dehors", "il fait moins cinq dehors" },
        { "(-12)", "(Moins douze)" },

        // Decimals: a comma, or a point that groups nothing
        { "pi vaut 3,14", "pi vaut trois virgule quatorze" },
        { "environ 0,5", "environ zéro virgule cinq" },
        { "soit 1 234,56", "soit mille deux cent trente-quatre virgule cinquante-six" },
        { "de -2,5", "de moins deux virgule cinq" },
        { "soit 1,05", "soit un virgule zéro cinq" },
        { "soit 2.5", "soit deux virgule cinq" },

        // Ordinals
        { "le 1er jour", "le premier jour" },
        { "la 1re fois", "la première fois" },
        { "la 1ère place", "la première place" },
        { "le 2e étage", "le deuxième étage" },
        { "le 3ème jour", "le troisième jour" },
        { "le 21e siècle", "le vingt et unième siècle" },
        { "la 100e fois", "la centième fois" },

        // Money: the symbol after the amount as French writes it, or before
        { "ça coûte 3,50 €", "ça coûte trois euros et cinquante centimes" },
        { "ça coûte 1 €", "ça coûte un euro" },
        { "ça coûte €5", "ça coûte cinq euros" },
        { "ça coûte 2 000 €", "ça coûte deux mille euros" },
        { "ça coûte 1 000 000 €", "ça coûte un million d'euros" },
        { "ça coûte 0,99 €", "ça coûte quatre-vingt-dix-neuf centimes" },
        { "ça coûte 10 $", "ça coûte dix dollars" },
        { "ça coûte $1,50", "ça coûte un dollar et cinquante cents" },
        { "ça coûte 1 £", "ça coûte une livre" },
        { "ça coûte 21 £", "ça coûte vingt et une livres" },
        { "ça coûte 3 000 000 $", "ça coûte trois millions de dollars" },

        // Percentages
        { "une hausse de 50 %", "une hausse de cinquante pour cent" },
        { "une hausse de 12,5%", "une hausse de douze virgule cinq pour cent" },
        { "une baisse de -3 %", "une baisse de moins trois pour cent" },

        // Times: "heure" is feminine
        { "à 10:30", "à dix heures trente" },
        { "à 10h30", "à dix heures trente" },
        { "à 1h05", "à une heure cinq" },
        { "à 21h", "à vingt et une heures" },
        { "à 0:15", "à zéro heure quinze" },
        { "à 12 h 45", "à douze heures quarante-cinq" },

        // Dates and years
        { "le 14/07/1789", "le quatorze juillet mille sept cent quatre-vingt-neuf" },
        { "le 1/5/2024", "le premier mai deux mille vingt-quatre" },
        { "le 3 mai 2024", "le trois mai deux mille vingt-quatre" },
        { "en 1999", "en mille neuf cent quatre-vingt-dix-neuf" },

        // Units
        { "à 5 km", "à cinq kilomètres" },
        { "à 1 km", "à un kilomètre" },
        { "pèse 2,5 kg", "pèse deux virgule cinq kilogrammes" },
        { "roule à 90 km/h", "roule à quatre-vingt-dix kilomètres à l'heure" },
        { "il fait -3 °C", "il fait moins trois degrés Celsius" },
        { "il fait -2,5 °C", "il fait moins deux virgule cinq degrés Celsius" },
        { "pèse 1 t", "pèse une tonne" },
        { "pèse 500 g", "pèse cinq cents grammes" },
        { "dure 30 min", "dure trente minutes" },
        { "dure 1 min", "dure une minute" },
        { "contient 2 l", "contient deux litres" },
        { "les 2 l'ont vu", "les deux l'ont vu" },

        // Abbreviations
        { "Bonjour M. Dupont", "Bonjour monsieur Dupont" },
        { "Bonjour Mme Martin", "Bonjour madame Martin" },
        { "Bonjour Mlle Durand", "Bonjour mademoiselle Durand" },
        { "chez le Dr Petit", "chez le docteur Petit" },
        { "des pommes, des poires, etc.", "des pommes, des poires, et cetera." },
        { "des fruits, etc. et des légumes", "des fruits, et cetera et des légumes" },
        { "le n° 5", "le numéro cinq" },
        { "une ville, p. ex. Paris", "une ville, par exemple Paris" },
        { "le lendemain, c.-à-d. lundi", "le lendemain, c'est-à-dire lundi" },
        { "en 52 av. J.-C.", "en cinquante-deux avant Jésus-Christ." },
    };
}
