namespace PaperNotes.Server.Tests;

/// <summary>The small workspace most server tests run on: a .bib, notes (some never opened) and a paper note.</summary>
public static class ServerFixture
{
    public const string Bib = """
        @string{neurips = {Advances in Neural Information Processing Systems}}

        @inproceedings{vaswani2017,
          title = {Attention Is All You Need},
          author = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki and Uszkoreit, Jakob},
          booktitle = neurips,
          year = 2017,
          doi = {10.5555/3295222.3295349},
          abstract = {The dominant sequence transduction models are based on complex recurrent networks.},
        }

        @article{tian2021understanding,
          title = {Understanding Self-supervised Learning Dynamics without Contrastive Pairs},
          author = {Tian, Yuandong and Chen, Xinlei and Ganguli, Surya},
          journal = {ICML},
          year = 2021,
          url = {https://arxiv.org/abs/2102.06810},
          abstract = {While contrastive approaches of self-supervised learning learn representations by minimizing the distance between two augmented views.},
        }
        """;

    public const string NoteA = """
        # Reading list

        Transformers [@vaswani2017] changed everything; @tian2021understanding explains why.
        A typo: [see @vaswani2071, p. 3]. Mail ada@example.com. Code `@vaswani2017` here.
        See [[b]] and [[missing]].
        """;

    public const string NoteB = """
        Unopened note citing @vaswani2017 and @unknownkey.
        """;

    public const string PaperNote = """
        ---
        citekey: vaswani2017
        title: Notes on Attention
        ---
        # Notes on Attention

        Self-attention everywhere.
        """;

    public static TempWorkspace Create() => new(
        ("library/refs.bib", Bib),
        ("notes/a.md", NoteA),
        ("notes/b.md", NoteB),
        ("notes/papers/vaswani2017.md", PaperNote));

    /// <summary>(line, character) of the first occurrence of <paramref name="needle"/> plus an offset into it.</summary>
    public static (int Line, int Character) Find(string text, string needle, int into = 1)
    {
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int at = lines[i].IndexOf(needle, StringComparison.Ordinal);
            if (at >= 0) return (i, at + into);
        }
        throw new ArgumentException($"'{needle}' not in text");
    }
}
