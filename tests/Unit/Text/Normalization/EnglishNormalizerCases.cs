namespace PocketTts.Tests.Unit.Text.Normalization;

/// <summary>Written English and how it should be spoken: one row per rule or edge, grouped by rule.</summary>
public static class EnglishNormalizerCases
{
    public static TheoryData<string, string> All { get; } = new()
    {
        // Cardinals
        { "I have 0 apples.", "I have zero apples." },
        { "7", "Seven" },
        { "13 cats", "Thirteen cats" },
        { "21", "Twenty-one" },
        { "100", "One hundred" },
        { "123", "One hundred twenty-three" },
        { "1,234", "One thousand two hundred thirty-four" },
        { "12345", "Twelve thousand three hundred forty-five" },
        { "1000000 people", "One million people" },
        { "2,000,000,000", "Two billion" },
        { "999,999,999,999", "Nine hundred ninety-nine billion nine hundred ninety-nine million nine hundred ninety-nine thousand nine hundred ninety-nine" },
        { "1001 nights", "One thousand one nights" },
        { "It fell to -5.", "It fell to minus five." },
        { "(-12)", "(Minus twelve)" },
        { "5-3", "Five-three" },
        { "COVID-19", "COVID-nineteen" },
        { "Dial +1 now", "Dial plus one now" },
        { "It was 5. 6 came.", "It was five. Six came." },
        { "agent 007", "agent zero zero seven" },
        { "3D", "Three D" },
        { "mp3", "mp three" },

        // Ordinals
        { "1st", "First" },
        { "2nd", "Second" },
        { "3rd", "Third" },
        { "22nd", "Twenty-second" },
        { "103rd", "One hundred third" },
        { "11th", "Eleventh" },
        { "12th", "Twelfth" },
        { "40th", "Fortieth" },
        { "the 100th time", "the one hundredth time" },

        // Decimals and versions
        { "3.14", "Three point one four" },
        { "0.5", "Zero point five" },
        { "1,234.56", "One thousand two hundred thirty-four point five six" },
        { "-2.5", "Minus two point five" },
        { "Pi is 3.14.", "Pi is three point one four." },
        { "version 1.2.3", "version one point two point three" },

        // Years and decades
        { "1999", "Nineteen ninety-nine" },
        { "2005", "Two thousand five" },
        { "2010", "Twenty ten" },
        { "in 1984", "in nineteen eighty-four" },
        { "1900", "Nineteen hundred" },
        { "1905", "Nineteen oh five" },
        { "2000", "Two thousand" },
        { "In 1066 they came.", "In ten sixty-six they came." },
        { "from 1939-1945", "from nineteen thirty-nine to nineteen forty-five" },
        { "1,999 votes", "One thousand nine hundred ninety-nine votes" },
        { "the 1990s", "the nineteen nineties" },
        { "the '80s", "the eighties" },
        { "the 2000s", "the two thousands" },

        // Currency
        { "$5", "Five dollars" },
        { "$1", "One dollar" },
        { "$1.50", "One dollar and fifty cents" },
        { "$0.99", "Ninety-nine cents" },
        { "$1,234.05", "One thousand two hundred thirty-four dollars and five cents" },
        { "$2 million", "Two million dollars" },
        { "$2.5bn", "Two point five billion dollars" },
        { "-$3", "Minus three dollars" },
        { "£5", "Five pounds" },
        { "£1.01", "One pound and one penny" },
        { "€20", "Twenty euros" },
        { "It costs 5 €.", "It costs five euros." },
        { "only 20$", "only twenty dollars" },

        // Percentages
        { "50%", "Fifty percent" },
        { "12.5%", "Twelve point five percent" },
        { "-3 %", "Minus three percent" },

        // Times
        { "3:30", "Three thirty" },
        { "10:05", "Ten oh five" },
        { "7:00", "Seven o'clock" },
        { "14:00", "Fourteen hundred" },
        { "7:00 pm", "Seven P M" },
        { "11:45 AM", "Eleven forty-five A M" },
        { "7pm", "Seven P M" },
        { "We open at 9 a.m.", "We open at nine A M." },
        { "at 9 a.m. on Monday", "at nine A M on Monday" },

        // Abbreviations
        { "Dr. Smith", "Doctor Smith" },
        { "Mr. and Mrs. Jones", "Mister and Missus Jones" },
        { "Ms Brown", "Miz Brown" },
        { "Prof. Brown", "Professor Brown" },
        { "St. Louis", "Saint Louis" },
        { "She lives on Main St.", "She lives on Main Street." },
        { "Main St., Springfield", "Main Street, Springfield" },
        { "John Smith Jr. arrived.", "John Smith Junior arrived." },
        { "apples, pears, etc.", "apples, pears, et cetera." },
        { "cats vs. dogs", "cats versus dogs" },
        { "fruit, e.g. apples", "fruit, for example apples" },
        { "E.g. this one.", "For example this one." },
        { "one, i.e. the first", "one, that is the first" },
        { "Call No. 5 now.", "Call number five now." },
        { "No. 9 is mine.", "Number nine is mine." },
        { "I said no. Then I left.", "I said no. Then I left." },
        { "Order #12345 shipped.", "Order number twelve thousand three hundred forty-five shipped." },

        // Units
        { "5 km", "Five kilometers" },
        { "1 kg", "One kilogram" },
        { "2.5 cm", "Two point five centimeters" },
        { "10mm", "Ten millimeters" },
        { "100 m.", "One hundred meters." },
        { "500 g", "Five hundred grams" },
        { "60 mph", "Sixty miles per hour" },
        { "120 km/h", "One hundred twenty kilometers per hour" },
        { "-3 °C", "Minus three degrees Celsius" },
        { "98.6°F", "Ninety-eight point six degrees Fahrenheit" },
        { "512 kB, 700 MB and 4 GB", "Five hundred twelve kilobytes, seven hundred megabytes and four gigabytes" },
        { "1 h", "One hour" },
        { "30 min", "Thirty minutes" },
        { "45 s", "Forty-five seconds" },
        { "approx. 5 km", "approximately five kilometers" },
        { "5 months", "Five months" },

        // Symbols
        { "rock & roll", "rock and roll" },
        { "R&D", "R and D" },

        // Left alone: punctuation the model uses for prosody, brackets, plain words
        { "Hello, world! How are you? Fine... thanks.", "Hello, world! How are you? Fine... thanks." },
        { "Wait… what?", "Wait… what?" },
        { "[laughs] okay", "[laughs] okay" },
        { "", "" },
    };
}
