namespace PaperNotes.Server;

public static class Program
{
    public static int Main(string[] args) => 0; // TODO: CLI (in progress)
}
