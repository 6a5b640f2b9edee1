using System.Collections.Frozen;

namespace PaperNotes.Core.Library.BibTeX;

/// <summary>Tables for <see cref="LatexDecoder"/>: accents, named symbols, commands whose argument is dropped.</summary>
internal static class LatexSymbols
{
    /// <summary>Accent command → (pairs of base letter and precomposed letter, combining mark for other bases).</summary>
    private static readonly Dictionary<char, (string Pairs, char Combining)> AccentTable = new()
    {
        ['\''] = ("aácćeégǵiíkḱlĺmḿnńoópṕrŕsśuúwẃyýzźAÁCĆEÉGǴIÍKḰLĹMḾNŃOÓPṔRŔSŚUÚWẂYÝZŹ", '\u0301'),
        ['`'] = ("aàeèiìnǹoòuùwẁyỳAÀEÈIÌNǸOÒUÙWẀYỲ", '\u0300'),
        ['^'] = ("aâcĉeêgĝhĥiîjĵoôsŝuûwŵyŷzẑAÂCĈEÊGĜHĤIÎJĴOÔSŜUÛWŴYŶZẐ", '\u0302'),
        ['"'] = ("aäeëhḧiïoötẗuüwẅxẍyÿAÄEËHḦIÏOÖUÜWẄXẌYŸ", '\u0308'),
        ['~'] = ("aãeẽiĩnñoõuũvṽyỹAÃEẼIĨNÑOÕUŨVṼYỸ", '\u0303'),
        ['='] = ("aāeēgḡiīoōuūyȳAĀEĒGḠIĪOŌUŪYȲ", '\u0304'),
        ['.'] = ("aȧbḃcċdḋeėfḟgġhḣmṁnṅoȯpṗrṙsṡtṫwẇxẋyẏzżAȦBḂCĊDḊEĖFḞGĠHḢIİMṀNṄOȮPṖRṘSṠTṪWẆXẊYẎZŻ", '\u0307'),
        ['u'] = ("aăeĕgğiĭoŏuŭAĂEĔGĞIĬOŎUŬ", '\u0306'),
        ['v'] = ("aǎcčdďeěgǧhȟiǐjǰkǩlľnňoǒrřsštťuǔzžAǍCČDĎEĚGǦHȞIǏKǨLĽNŇOǑRŘSŠTŤUǓZŽ", '\u030C'),
        ['H'] = ("oőuűOŐUŰ", '\u030B'),
        ['c'] = ("cçdḑeȩgģhḩkķlļnņrŗsştţCÇDḐEȨGĢHḨKĶLĻNŅRŖSŞTŢ", '\u0327'),
        ['k'] = ("aąeęiįoǫuųAĄEĘIĮOǪUŲ", '\u0328'),
        ['r'] = ("aåuůwẘyẙAÅUŮ", '\u030A'),
        ['d'] = ("aạbḅdḍeẹhḥiịkḳlḷmṃnṇoọrṛsṣtṭuụvṿwẉyỵzẓAẠBḄDḌEẸHḤIỊKḲLḶMṂNṆOỌRṚSṢTṬUỤVṾWẈYỴZẒ", '\u0323'),
        ['b'] = ("bḇdḏhẖkḵlḻnṉrṟtṯzẕBḆDḎKḴLḺNṈRṞTṮZẔ", '\u0331'),
        ['t'] = ("", '\u0361'),
    };

    public static bool IsSymbolAccent(char c) => c is '\'' or '`' or '^' or '"' or '~' or '=' or '.';

    public static bool IsLetterAccent(string name) =>
        name.Length == 1 && name[0] is 'u' or 'v' or 'H' or 'c' or 'k' or 'r' or 'd' or 'b' or 't';

    /// <summary>Appends <paramref name="baseText"/> with the accent applied to its first character.</summary>
    public static void AppendAccented(ref CharBuffer sb, char accent, scoped ReadOnlySpan<char> baseText)
    {
        if (!AccentTable.TryGetValue(accent, out var entry)) { sb.Append(baseText); return; }
        if (baseText.IsEmpty) { sb.Append(accent == '~' ? '~' : entry.Combining); return; }
        char b = baseText[0] switch { 'ı' => 'i', 'ȷ' => 'j', var c => c };
        var pairs = entry.Pairs;
        for (int i = 0; i + 1 < pairs.Length; i += 2)
        {
            if (pairs[i] == b)
            {
                sb.Append(pairs[i + 1]);
                sb.Append(baseText[1..]);
                return;
            }
        }
        sb.Append(baseText[0]);
        sb.Append(entry.Combining);
        sb.Append(baseText[1..]);
    }

    /// <summary>The precomposed letter for <paramref name="baseChar"/> with <paramref name="accent"/> (what Unicode
    /// normalization would give; normalization is unavailable under invariant globalization), or '\0'.</summary>
    public static char Composed(char accent, char baseChar)
    {
        if (!AccentTable.TryGetValue(accent, out var entry)) return '\0';
        var pairs = entry.Pairs;
        for (int i = 0; i + 1 < pairs.Length; i += 2)
            if (pairs[i] == baseChar) return pairs[i + 1];
        return '\0';
    }

    /// <summary>Commands that stand for text, by name (letters) or symbol.</summary>
    public static readonly FrozenDictionary<string, string> Symbols = new Dictionary<string, string>
    {
        ["ss"] = "ß", ["SS"] = "SS", ["o"] = "ø", ["O"] = "Ø", ["aa"] = "å", ["AA"] = "Å",
        ["ae"] = "æ", ["AE"] = "Æ", ["oe"] = "œ", ["OE"] = "Œ", ["l"] = "ł", ["L"] = "Ł",
        ["i"] = "ı", ["j"] = "ȷ", ["dh"] = "ð", ["DH"] = "Ð", ["th"] = "þ", ["TH"] = "Þ",
        ["ng"] = "ŋ", ["NG"] = "Ŋ", ["dj"] = "đ", ["DJ"] = "Đ", ["ij"] = "ĳ", ["IJ"] = "Ĳ",
        ["TeX"] = "TeX", ["LaTeX"] = "LaTeX", ["LaTeXe"] = "LaTeX2ε", ["BibTeX"] = "BibTeX",
        ["XeTeX"] = "XeTeX", ["XeLaTeX"] = "XeLaTeX", ["LuaTeX"] = "LuaTeX", ["LuaLaTeX"] = "LuaLaTeX",
        ["ConTeXt"] = "ConTeXt", ["AmS"] = "AmS", ["AMS"] = "AMS", ["METAFONT"] = "METAFONT", ["MF"] = "METAFONT",
        ["MP"] = "MetaPost", ["eTeX"] = "eTeX", ["pdfTeX"] = "pdfTeX", ["pdfLaTeX"] = "pdfLaTeX", ["BibLaTeX"] = "BibLaTeX",
        ["&"] = "&", ["%"] = "%", ["$"] = "$", ["_"] = "_", ["#"] = "#", ["{"] = "{", ["}"] = "}",
        [" "] = " ", ["\\"] = " ", [","] = "\u2009", [";"] = "\u2005", [":"] = "\u2005", ["!"] = "", ["-"] = "",
        ["/"] = "", ["@"] = "", ["quad"] = "\u2003", ["qquad"] = "\u2003\u2003", ["enspace"] = "\u2002",
        ["thinspace"] = "\u2009", ["nobreakspace"] = "\u00A0", ["slash"] = "/", ["space"] = " ", ["newline"] = " ", ["par"] = " ",
        ["textendash"] = "–", ["textemdash"] = "—", ["dots"] = "…", ["ldots"] = "…", ["textellipsis"] = "…",
        ["textquoteleft"] = "‘", ["textquoteright"] = "’", ["textquotedblleft"] = "“", ["textquotedblright"] = "”",
        ["lq"] = "‘", ["rq"] = "’", ["guillemotleft"] = "«", ["guillemotright"] = "»", ["guilsinglleft"] = "‹", ["guilsinglright"] = "›",
        ["textquotesingle"] = "'", ["textquotedbl"] = "\"", ["quotedblbase"] = "„", ["quotesinglbase"] = "‚",
        ["S"] = "§", ["P"] = "¶", ["textsection"] = "§", ["textparagraph"] = "¶", ["dag"] = "†", ["ddag"] = "‡",
        ["copyright"] = "©", ["textcopyright"] = "©", ["textregistered"] = "®", ["texttrademark"] = "™",
        ["pounds"] = "£", ["textsterling"] = "£", ["euro"] = "€", ["texteuro"] = "€", ["textyen"] = "¥", ["textcent"] = "¢",
        ["textdegree"] = "°", ["degree"] = "°", ["textasciitilde"] = "~", ["textasciicircum"] = "^", ["textbackslash"] = "\\",
        ["textbar"] = "|", ["textbraceleft"] = "{", ["textbraceright"] = "}", ["textless"] = "<", ["textgreater"] = ">", ["textunderscore"] = "_", ["textbullet"] = "•",
        ["textperiodcentered"] = "·", ["textexclamdown"] = "¡", ["textquestiondown"] = "¿", ["textordfeminine"] = "ª",
        ["textordmasculine"] = "º", ["textmu"] = "µ", ["textonehalf"] = "½", ["textonequarter"] = "¼", ["textthreequarters"] = "¾",
        ["hyphen"] = "-", ["textdollar"] = "$", ["textpercent"] = "%", ["textampersand"] = "&",
        ["alpha"] = "α", ["beta"] = "β", ["gamma"] = "γ", ["delta"] = "δ", ["epsilon"] = "ϵ", ["varepsilon"] = "ε",
        ["zeta"] = "ζ", ["eta"] = "η", ["theta"] = "θ", ["vartheta"] = "ϑ", ["iota"] = "ι", ["kappa"] = "κ",
        ["lambda"] = "λ", ["mu"] = "μ", ["nu"] = "ν", ["xi"] = "ξ", ["pi"] = "π", ["varpi"] = "ϖ", ["rho"] = "ρ",
        ["varrho"] = "ϱ", ["sigma"] = "σ", ["varsigma"] = "ς", ["tau"] = "τ", ["upsilon"] = "υ", ["phi"] = "ϕ",
        ["varphi"] = "φ", ["chi"] = "χ", ["psi"] = "ψ", ["omega"] = "ω", ["Gamma"] = "Γ", ["Delta"] = "Δ",
        ["Theta"] = "Θ", ["Lambda"] = "Λ", ["Xi"] = "Ξ", ["Pi"] = "Π", ["Sigma"] = "Σ", ["Upsilon"] = "Υ",
        ["Phi"] = "Φ", ["Psi"] = "Ψ", ["Omega"] = "Ω",
        ["times"] = "×", ["cdot"] = "⋅", ["pm"] = "±", ["mp"] = "∓", ["div"] = "÷", ["leq"] = "≤", ["le"] = "≤",
        ["geq"] = "≥", ["ge"] = "≥", ["neq"] = "≠", ["ne"] = "≠", ["approx"] = "≈", ["sim"] = "∼", ["simeq"] = "≃",
        ["equiv"] = "≡", ["infty"] = "∞", ["partial"] = "∂", ["nabla"] = "∇", ["sum"] = "∑", ["prod"] = "∏",
        ["int"] = "∫", ["sqrt"] = "√", ["in"] = "∈", ["notin"] = "∉", ["subset"] = "⊂", ["subseteq"] = "⊆",
        ["supset"] = "⊃", ["cup"] = "∪", ["cap"] = "∩", ["emptyset"] = "∅", ["forall"] = "∀", ["exists"] = "∃",
        ["neg"] = "¬", ["wedge"] = "∧", ["vee"] = "∨", ["to"] = "→", ["rightarrow"] = "→", ["leftarrow"] = "←",
        ["Rightarrow"] = "⇒", ["Leftarrow"] = "⇐", ["leftrightarrow"] = "↔", ["mapsto"] = "↦", ["ell"] = "ℓ",
        ["hbar"] = "ℏ", ["circ"] = "∘", ["star"] = "⋆", ["ast"] = "∗", ["prime"] = "′", ["langle"] = "⟨", ["rangle"] = "⟩",
        ["ll"] = "≪", ["gg"] = "≫", ["propto"] = "∝", ["perp"] = "⊥", ["mid"] = "∣", ["vert"] = "|",
        ["log"] = "log", ["ln"] = "ln", ["exp"] = "exp", ["sin"] = "sin", ["cos"] = "cos", ["tan"] = "tan",
        ["max"] = "max", ["min"] = "min", ["lim"] = "lim", ["det"] = "det", ["dim"] = "dim", ["ker"] = "ker",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Commands whose argument is a quotation: "\\mkbibquote{x}" → “x”.</summary>
    public static readonly FrozenSet<string> Quote = new[] { "mkbibquote", "enquote", "textquote" }
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>biblatex's <c>\bibstring{key}</c>, resolved in English as pandoc does.</summary>
    public static readonly FrozenDictionary<string, string> BibStrings = new Dictionary<string, string>
    {
        ["newseries"] = "new series", ["oldseries"] = "old series", ["andothers"] = "et al.", ["and"] = "and",
        ["edition"] = "edition", ["volume"] = "volume", ["volumes"] = "volumes", ["number"] = "number",
        ["page"] = "page", ["pages"] = "pages", ["chapter"] = "chapter", ["editor"] = "editor", ["editors"] = "editors",
        ["translator"] = "translator", ["reprint"] = "reprint", ["inpress"] = "in press", ["submitted"] = "submitted",
        ["forthcoming"] = "forthcoming", ["inpreparation"] = "in preparation", ["jourser"] = "series", ["ibidem"] = "ibidem",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Commands whose (first) braced argument is not text and is dropped.</summary>
    public static readonly FrozenSet<string> DropFirstArgument = new[]
    {
        "href", "label", "ref", "cite", "citep", "citet", "nocite", "hspace", "vspace", "hskip", "vskip",
        "noopsort", "SortNoop", "sortnoop", "noop", "bibnamedelima", "index", "footnote", "pagebreak",
        "phantom", "hphantom", "vphantom", "kern", "color", "includegraphics", "setlength", "raisebox",
    }.ToFrozenSet(StringComparer.Ordinal);
}
