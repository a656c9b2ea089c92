namespace PocketTts.Tests.Unit.Text.Normalization;

/// <summary>Written Spanish and how it is spoken, from Spanish conventions: one row per rule or edge.</summary>
public static class SpanishNormalizerCases
{
    public static TheoryData<string, string> All { get; } = new()
    {
        // Cardinals: a period (or a space) between thousands
        { "tengo 0 manzanas", "tengo cero manzanas" },
        { "página 1", "página uno" },
        { "tiene 16 años", "tiene dieciséis años" },
        { "el número 21", "el número veintiuno" },
        { "el 71", "el setenta y uno" },
        { "son 99", "son noventa y nueve" },
        { "son 100", "son cien" },
        { "página 101", "página ciento uno" },
        { "más de 1.000", "más de mil" },
        { "más de 2.000", "más de dos mil" },
        { "son 1.234", "son mil doscientos treinta y cuatro" },
        { "son 1 234", "son mil doscientos treinta y cuatro" },
        { "son 1.000.000", "son un millón" },
        { "son 2.500.000", "son dos millones quinientos mil" },
        { "agente 007", "agente cero cero siete" },
        { "hace -5 fuera", "hace menos cinco fuera" },

        // Decimals
        { "pi es 3,14", "pi es tres coma catorce" },
        { "unos 0,5", "unos cero coma cinco" },
        { "son 1.234,56", "son mil doscientos treinta y cuatro coma cincuenta y seis" },
        { "de -2,5", "de menos dos coma cinco" },
        { "son 1,05", "son uno coma cero cinco" },

        // Years
        { "en 1999", "en mil novecientos noventa y nueve" },
        { "en 2024", "en dos mil veinticuatro" },
        { "en 1492", "en mil cuatrocientos noventa y dos" },

        // Ordinals: º, ª, with or without the period, and the short "er"
        { "el 1.º de la clase", "el primero de la clase" },
        { "quedó 1º", "quedó primero" },
        { "la 1.ª vez", "la primera vez" },
        { "la 1ª vez", "la primera vez" },
        { "el 1.er piso", "el primer piso" },
        { "el 3er día", "el tercer día" },
        { "el 2.º piso", "el segundo piso" },
        { "la 10.ª edición", "la décima edición" },

        // Money: "un"/"veintiún" before a masculine noun, "una"/"veintiuna" before a feminine one
        { "cuesta 3,50 €", "cuesta tres euros con cincuenta céntimos" },
        { "cuesta 1 €", "cuesta un euro" },
        { "cuesta 21 €", "cuesta veintiún euros" },
        { "cuesta €5", "cuesta cinco euros" },
        { "cuesta 0,99 €", "cuesta noventa y nueve céntimos" },
        { "cuesta 1.000.000 €", "cuesta un millón de euros" },
        { "cuesta $10", "cuesta diez dólares" },
        { "cuesta 1 $", "cuesta un dólar" },
        { "cuesta 1 £", "cuesta una libra" },
        { "cuesta 21 £", "cuesta veintiuna libras" },
        { "cuesta 2,01 €", "cuesta dos euros con un céntimo" },

        // Percentages
        { "un 50 %", "un cincuenta por ciento" },
        { "un 12,5%", "un doce coma cinco por ciento" },
        { "el 100%", "el cien por ciento" },

        // Times: hours are feminine
        { "a las 10:30", "a las diez y treinta" },
        { "a las 8:00", "a las ocho en punto" },
        { "a la 1:15", "a la una y quince" },
        { "a las 21:00", "a las veintiuna en punto" },
        { "a las 23:45", "a las veintitrés y cuarenta y cinco" },

        // Dates
        { "el 3/5/2024", "el tres de mayo de dos mil veinticuatro" },
        { "el 12/10/1492", "el doce de octubre de mil cuatrocientos noventa y dos" },
        { "el 25-12-2023", "el veinticinco de diciembre de dos mil veintitrés" },

        // Units
        { "a 5 km", "a cinco kilómetros" },
        { "a 1 km", "a un kilómetro" },
        { "pesa 2,5 kg", "pesa dos coma cinco kilogramos" },
        { "va a 120 km/h", "va a ciento veinte kilómetros por hora" },
        { "hace -3 °C", "hace menos tres grados Celsius" },
        { "pesa 1 t", "pesa una tonelada" },
        { "pesa 500 g", "pesa quinientos gramos" },
        { "dura 1 h", "dura una hora" },
        { "dura 30 min", "dura treinta minutos" },

        // Abbreviations
        { "el Sr. García", "el señor García" },
        { "la Sra. López", "la señora López" },
        { "la Dra. Ruiz", "la doctora Ruiz" },
        { "manzanas, peras, etc.", "manzanas, peras, etcétera." },
        { "fruta, p. ej. manzanas", "fruta, por ejemplo manzanas" },
        { "en la pág. 5", "en la página cinco" },
        { "viajó a EE. UU. ayer", "viajó a Estados Unidos ayer" },
        { "el n.º 7", "el número siete" },
    };
}
