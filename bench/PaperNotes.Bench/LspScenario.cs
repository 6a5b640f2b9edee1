namespace PaperNotes.Bench;

/// <summary>The language-server scenario over real LSP (filled in with the server).</summary>
public static class LspScenario
{
    public static int Run(string dir, string[] args)
    {
        Console.Error.WriteLine("the LSP scenario needs the language server (issue 3)");
        return 2;
    }
}
