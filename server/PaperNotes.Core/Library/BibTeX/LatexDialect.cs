using System.Collections.Frozen;

namespace PaperNotes.Core.Library.BibTeX;

/// <summary>
/// What <see cref="LatexDecoder"/> knows: the display dialect (hover, search: every symbol and logo we can
/// decode, unknown commands lose their name and keep their argument text) or pandoc's (the CSL view: only the
/// commands pandoc 2.17's LaTeX reader knows; any other command is dropped with its arguments, leaving a
/// <see cref="LatexDecoder.Barrier"/> where it was, since pandoc keeps the spaces on both sides of it).
/// </summary>
internal sealed class LatexDialect
{
    /// <summary>Commands that stand for text.</summary>
    public required FrozenDictionary<string, string> Symbols { get; init; }

    /// <summary>Commands whose argument is a quotation: “x”.</summary>
    public required FrozenSet<string> Quote { get; init; }

    /// <summary>Commands whose (first) braced argument is not text and is dropped, the rest kept.</summary>
    public required FrozenSet<string> DropFirstArgument { get; init; }

    /// <summary>Commands (besides the symbols, accents and the two sets above) whose arguments are read as
    /// text; null: every other command.</summary>
    public required FrozenSet<string>? KeepArguments { get; init; }

    /// <summary>biblatex localisation keys (<c>\bibstring{key}</c>) and the text they stand for.</summary>
    public required FrozenDictionary<string, string> BibStrings { get; init; }

    /// <summary>Accents: composed with Unicode normalization (pandoc: <c>\'{\i}</c> stays a dotless ı with
    /// a combining accent) rather than from our table (í).</summary>
    public required bool NormalizeAccents { get; init; }

    /// <summary>Polyglossia languages pandoc knows as <c>\text&lt;language&gt;{…}</c> (declared before
    /// <see cref="Pandoc"/>: static fields initialize in order).</summary>
    private static readonly string[] PandocLanguages =
    [
        "afrikaans", "albanian", "amharic", "arabic", "armenian", "assamese", "asturian", "basque", "bengali", "breton",
        "bulgarian", "catalan", "coptic", "croatian", "czech", "danish", "divehi", "dutch", "english", "esperanto",
        "estonian", "ethiopic", "farsi", "finnish", "french", "friulan", "galician", "german", "greek", "gujarati",
        "hebrew", "hindi", "icelandic", "indonesian", "interlingua", "irish", "italian", "japanese", "kannada", "khmer",
        "korean", "kurmanji", "lao", "latin", "latvian", "lithuanian", "lsorbian", "magyar", "malayalam", "marathi",
        "mongolian", "nko", "norsk", "nynorsk", "occitan", "oriya", "piedmontese", "pinyin", "polish", "portuguese",
        "punjabi", "romanian", "romansh", "russian", "samin", "sanskrit", "scottish", "serbianc", "slovak",
        "slovenian", "spanish", "tibetan", "usorbian", "welsh",
    ];

    public static readonly LatexDialect Display = new()
    {
        Symbols = LatexSymbols.Symbols,
        Quote = LatexSymbols.Quote,
        DropFirstArgument = LatexSymbols.DropFirstArgument,
        KeepArguments = null,
        BibStrings = LatexSymbols.BibStrings,
        NormalizeAccents = false,
    };

    public static readonly LatexDialect Pandoc = new()
    {
        Symbols = PandocSymbols(),
        Quote = new[] { "mkbibquote", "enquote" }.ToFrozenSet(StringComparer.Ordinal),
        DropFirstArgument = new[] { "href", "foreignlanguage", "textcolor", "colorbox", "hyperlink" }.ToFrozenSet(StringComparer.Ordinal),
        KeepArguments = PandocKeepArguments(),
        BibStrings = PandocBibStrings(),
        NormalizeAccents = true,
    };

    /// <summary>pandoc's accent commands (accentCommands), by name.</summary>
    public bool IsLetterAccent(ReadOnlySpan<char> name) => NormalizeAccents
        ? name is "H" or "b" or "c" or "G" or "h" or "d" or "f" or "r" or "t" or "U" or "v" or "u" or "k"
            or "textogonekcentered" or "newtie" or "textcircled"
        : name.Length == 1 && LatexSymbols.IsLetterAccent(name.ToString());

    public bool IsSymbolAccent(char c) => c is '\'' or '`' or '^' or '"' or '~' or '=' or '.' || NormalizeAccents && c == '|';

    /// <summary>pandoc's lit commands (charCommands, accentCommands' letters, biblatex's \hyphen, \adddot…).</summary>
    private static FrozenDictionary<string, string> PandocSymbols() => new Dictionary<string, string>
    {
        ["aa"] = "å", ["AA"] = "Å", ["ss"] = "ß", ["o"] = "ø", ["O"] = "Ø", ["L"] = "Ł", ["l"] = "ł",
        ["ae"] = "æ", ["AE"] = "Æ", ["oe"] = "œ", ["OE"] = "Œ", ["pounds"] = "£", ["euro"] = "€", ["copyright"] = "©",
        ["textasciicircum"] = "^", ["textasciitilde"] = "~", ["i"] = "ı", ["j"] = "ȷ",
        ["ldots"] = "…", ["vdots"] = "⋮", ["dots"] = "…", ["mdots"] = "…", ["sim"] = "~", ["sep"] = ",",
        ["P"] = "¶", ["S"] = "§", ["$"] = "$", ["%"] = "%", ["&"] = "&", ["#"] = "#", ["_"] = "_", ["{"] = "{", ["}"] = "}",
        ["qed"] = "\u00A0\u25FB", ["lq"] = "‘", ["rq"] = "’", ["textquoteleft"] = "‘", ["textquoteright"] = "’",
        ["textquotedblleft"] = "“", ["textquotedblright"] = "”", ["/"] = "", [","] = "\u2006", ["@"] = "", [" "] = "\u00A0",
        ["\\"] = "\n", ["TeX"] = "TeX", ["LaTeX"] = "LaTeX", ["bar"] = "|", ["textless"] = "<", ["textgreater"] = ">",
        ["textbackslash"] = "\\", ["backslash"] = "\\", ["slash"] = "/", ["faCheck"] = "✓", ["faClose"] = "✗",
        ["bshyp"] = "\\\u00AD", ["fshyp"] = "/\u00AD", ["dothyp"] = ".\u00AD", ["colonhyp"] = ":\u00AD", ["hyp"] = "-",
        ["hyphen"] = "-", ["adddot"] = ".", ["adddotspace"] = ". ", ["addabbrvspace"] = " ",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>pandoc's commands that render their argument (fonts, links, languages, case, acronyms).</summary>
    private static FrozenSet<string> PandocKeepArguments()
    {
        var names = new List<string>
        {
            "emph", "textit", "textsl", "textsc", "textsf", "textmd", "textrm", "textup", "texttt", "sout",
            "textsuperscript", "textsubscript", "textbf", "textnormal", "underline", "ensuremath", "texorpdfstring",
            "em", "it", "sl", "bf", "tt", "rm", "itshape", "slshape", "scshape", "bfseries", "MakeUppercase",
            "MakeTextUppercase", "uppercase", "MakeLowercase", "MakeTextLowercase", "lowercase", "passthrough",
            "url", "nolinkurl", "nohyphens", "textnhtt", "nhttfamily", "ul", "uline", "alert",
            "mkbibemph", "mkbibitalic", "mkbibbold", "mkbibparens", "mkbibbrackets", "autocap", "bibstring",
            "gls", "Gls", "glsdesc", "Glsdesc", "GLSdesc", "acrlong", "Acrlong", "acrfull", "Acrfull", "acrshort",
            "Acrshort", "ac", "acf", "acs", "acl", "Ac", "Acf", "Acs", "Acl",
        };
        foreach (var lang in PandocLanguages) names.Add("text" + lang);
        return names.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The biblatex localisation keys pandoc resolves, as it renders biblatex's English strings; looked up
    /// as written (a key with no entry stays as it is).</summary>
    private static FrozenDictionary<string, string> PandocBibStrings() => new Dictionary<string, string>
    {
        ["mathesis"] = "Master’s thesis", ["bathesis"] = "Bachelor’s thesis", ["phdthesis"] = "PhD thesis",
        ["candthesis"] = "Candidate thesis", ["techreport"] = "technical report", ["resreport"] = "research report",
        ["software"] = "computer software", ["datacd"] = "CD-ROM", ["audiocd"] = "audio CD",
        ["patent"] = "patent", ["patentde"] = "German patent", ["patenteu"] = "European patent", ["patentfr"] = "French patent",
        ["patentuk"] = "British patent", ["patentus"] = "U.S. patent", ["patreq"] = "patent request",
        ["patreqde"] = "German patent request", ["patreqeu"] = "European patent request", ["patreqfr"] = "French patent request",
        ["patrequk"] = "British patent request", ["patrequs"] = "U.S. patent request",
        ["newseries"] = "new series", ["oldseries"] = "old series", ["jourser"] = "series", ["jourvol"] = "volume",
        ["countryde"] = "Germany", ["countryeu"] = "European Union", ["countryep"] = "European Union", ["countryfr"] = "France",
        ["countryuk"] = "United Kingdom", ["countryus"] = "United States of America",
        ["inpreparation"] = "in preparation", ["submitted"] = "submitted", ["forthcoming"] = "forthcoming",
        ["inpress"] = "in press", ["prepublished"] = "pre-published",
        ["and"] = "and", ["volume"] = "volume", ["volumes"] = "volumes", ["edition"] = "edition", ["number"] = "number",
        ["issue"] = "issue", ["part"] = "part", ["book"] = "book", ["chapter"] = "chapter", ["version"] = "version",
        ["page"] = "page", ["pages"] = "pages", ["in"] = "in", ["inseries"] = "in", ["ofseries"] = "of", ["nodate"] = "no date",
        ["introduction"] = "introduction", ["foreword"] = "foreword", ["afterword"] = "afterword",
        ["editor"] = "editor", ["editors"] = "editors", ["translator"] = "translator", ["translators"] = "translators",
        ["byauthor"] = "by", ["byeditor"] = "edited by", ["bypublisher"] = "by", ["astitle"] = "as",
        ["reprint"] = "reprint", ["reprintof"] = "reprint of", ["reprintas"] = "reprinted as", ["reprintfrom"] = "reprinted from",
        ["reviewof"] = "review of", ["translationof"] = "translation of", ["translationas"] = "translated as",
        ["translationfrom"] = "translated from", ["origpubas"] = "originally published as", ["origpubin"] = "originally published in",
        ["withintroduction"] = "with an introduction by", ["withforeword"] = "with a foreword by",
        ["withafterword"] = "with an afterword by", ["withcommentator"] = "with a commentary by",
        ["withannotator"] = "with annotations by",
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
