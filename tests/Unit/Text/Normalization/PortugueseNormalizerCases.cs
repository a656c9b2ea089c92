namespace PocketTts.Tests.Unit.Text.Normalization;

/// <summary>Written (Brazilian) Portuguese and how it is spoken, from Portuguese conventions: one row per rule or edge.</summary>
public static class PortugueseNormalizerCases
{
    public static TheoryData<string, string> All { get; } = new()
    {
        // Cardinals: "e" between hundreds, tens and units, a period between thousands
        { "tenho 0 maçãs", "tenho zero maçãs" },
        { "página 1", "página um" },
        { "tem 16 anos", "tem dezesseis anos" },
        { "o número 21", "o número vinte e um" },
        { "o 71", "o setenta e um" },
        { "são 99", "são noventa e nove" },
        { "são 100", "são cem" },
        { "página 101", "página cento e um" },
        { "mais de 1.000", "mais de mil" },
        { "mais de 2.000", "mais de dois mil" },
        { "são 1.234", "são mil duzentos e trinta e quatro" },
        { "são 1.000.000", "são um milhão" },
        { "são 2.000.000", "são dois milhões" },
        { "agente 007", "agente zero zero sete" },
        { "faz -5 lá fora", "faz menos cinco lá fora" },

        // Decimals
        { "custa 0,5", "custa zero vírgula cinco" },
        { "são 1.234,56", "são mil duzentos e trinta e quatro vírgula cinquenta e seis" },
        { "de -2,5", "de menos dois vírgula cinco" },
        { "são 1,05", "são um vírgula zero cinco" },
        { "são 3,2", "são três vírgula dois" },

        // Years
        { "em 1999", "em mil novecentos e noventa e nove" },
        { "em 2024", "em dois mil e vinte e quatro" },
        { "em 1500", "em mil e quinhentos" },

        // Ordinals: º and ª, with or without the period
        { "o 1º lugar", "o primeiro lugar" },
        { "a 1ª vez", "a primeira vez" },
        { "o 2º dia", "o segundo dia" },
        { "o 3.º andar", "o terceiro andar" },
        { "a 10ª edição", "a décima edição" },
        { "o 21º século", "o vigésimo primeiro século" },

        // Money: reais first
        { "custa R$ 10,50", "custa dez reais e cinquenta centavos" },
        { "custa R$ 1", "custa um real" },
        { "custa R$ 0,99", "custa noventa e nove centavos" },
        { "custa R$ 1.000.000", "custa um milhão de reais" },
        { "custa R$ 2,01", "custa dois reais e um centavo" },
        { "custa 3,50 €", "custa três euros e cinquenta cêntimos" },
        { "custa 1 €", "custa um euro" },
        { "custa $10", "custa dez dólares" },
        { "custa 1 £", "custa uma libra" },
        { "custa 2 £", "custa duas libras" },

        // Percentages
        { "são 50 %", "são cinquenta por cento" },
        { "são 12,5%", "são doze vírgula cinco por cento" },
        { "são 100%", "são cem por cento" },

        // Times: hours are feminine
        { "às 10:30", "às dez horas e trinta" },
        { "às 10h30", "às dez horas e trinta" },
        { "às 8h", "às oito horas" },
        { "à 1:15", "à uma hora e quinze" },
        { "às 2:00", "às duas horas" },
        { "às 22h45", "às vinte e duas horas e quarenta e cinco" },

        // Dates
        { "em 7/9/1822", "em sete de setembro de mil oitocentos e vinte e dois" },
        { "em 1/5/2024", "em primeiro de maio de dois mil e vinte e quatro" },
        { "em 25/12/2023", "em vinte e cinco de dezembro de dois mil e vinte e três" },

        // Units
        { "a 5 km", "a cinco quilômetros" },
        { "a 1 km", "a um quilômetro" },
        { "pesa 2,5 kg", "pesa dois vírgula cinco quilogramas" },
        { "a 80 km/h", "a oitenta quilômetros por hora" },
        { "faz -3 °C", "faz menos três graus Celsius" },
        { "pesa 1 t", "pesa uma tonelada" },
        { "pesa 2 t", "pesa duas toneladas" },
        { "pesa 500 g", "pesa quinhentos gramas" },
        { "dura 30 min", "dura trinta minutos" },

        // Abbreviations
        { "o Sr. Silva", "o senhor Silva" },
        { "a Sra. Costa", "a senhora Costa" },
        { "o Dr. Souza", "o doutor Souza" },
        { "maçãs, peras etc.", "maçãs, peras et cetera." },
        { "frutas, p. ex. maçãs", "frutas, por exemplo maçãs" },
        { "na pág. 5", "na página cinco" },
        { "o nº 7", "o número sete" },
        { "em 44 a.C.", "em quarenta e quatro antes de Cristo." },
    };
}
