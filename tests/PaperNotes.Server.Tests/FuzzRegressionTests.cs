using System.Text;
using System.Text.Json.Nodes;

namespace PaperNotes.Server.Tests;

/// <summary>Bugs the fuzzer (<see cref="FuzzTests"/>) found, each pinned down by the smallest message that showed it.</summary>
public class FuzzRegressionTests
{
    private static async Task<(LspTestClient Client, TempWorkspace Ws)> Started()
    {
        var ws = ServerFixture.Create();
        var client = LspTestClient.InProcess();
        await client.InitializeAsync(ws.Root);
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => !p.GetProperty("indexing").GetBoolean());
        return (client, ws);
    }

    private static async Task AssertStillServing(LspTestClient client, TempWorkspace ws)
    {
        await client.OpenAsync(ws.Path("notes/a.md"), ServerFixture.NoteA);
        var (line, ch) = ServerFixture.Find(ServerFixture.NoteA, "@vaswani2017]", 3);
        var hover = await client.ResultAsync("textDocument/hover", LspTestClient.At(ws.Path("notes/a.md"), line, ch));
        Assert.Contains("Attention Is All You Need", hover.ToString());
    }

    [Fact]
    public async Task A_request_nested_deeper_than_the_parser_allows_is_answered_by_its_id()
    {
        var (client, ws) = await Started();
        await using (client)
        using (ws)
        {
            var (id, response) = client.ReserveId();
            var deep = new string('[', 100) + new string(']', 100);
            await client.SendRawAsync(Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"textDocument/hover","params":{"position":{{{deep}}}}}"""));
            var answer = await response.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(-32600, answer.GetProperty("error").GetProperty("code").GetInt32());
            await AssertStillServing(client, ws);
        }
    }

    [Fact]
    public async Task A_response_to_no_request_is_dropped_not_fatal()
    {
        var (client, ws) = await Started();
        await using (client)
        using (ws)
        {
            await client.SendRawAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":987654,"result":null}"""));
            await client.SendRawAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":"x","error":{"code":1,"message":"no"}}"""));
            await AssertStillServing(client, ws);
            Assert.False(client.ServerExit!.IsCompleted);
        }
    }

    [Fact]
    public async Task A_second_answer_to_a_server_request_is_dropped_not_fatal()
    {
        using var ws = ServerFixture.Create();
        await using var client = LspTestClient.InProcess();
        var capabilities = new JsonObject { ["workspace"] = new JsonObject { ["didChangeWatchedFiles"] = new JsonObject { ["dynamicRegistration"] = true } } };
        await client.InitializeAsync(ws.Root, capabilities);
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => !p.GetProperty("indexing").GetBoolean());
        // The client already answered the watcher registration; it answers again.
        int id;
        lock (client.ServerRequests) id = client.ServerRequests.Single(r => r.GetProperty("method").GetString() == "client/registerCapability").GetProperty("id").GetInt32();
        await client.SendRawAsync(Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{id}},"result":null}"""));
        await AssertStillServing(client, ws);
        Assert.False(client.ServerExit!.IsCompleted);
    }

    [Fact]
    public async Task Envelope_strings_that_are_not_valid_utf16_are_rejected_not_fatal()
    {
        var (client, ws) = await Started();
        await using (client)
        using (ws)
        {
            await client.SendRawAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"\uD800","params":{}}"""));
            await client.SendRawAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"\uDC00","method":"paperNotes/nope"}"""));
            await client.SendRawAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":"\uD800","method":"paperNotes/nope"}"""));
            var (id, response) = client.ReserveId();
            await client.SendRawAsync(Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{id}},"method":"\uD800x"}"""));
            Assert.Equal(-32600, (await response.WaitAsync(TimeSpan.FromSeconds(30))).GetProperty("error").GetProperty("code").GetInt32());
            await AssertStillServing(client, ws);
            Assert.False(client.ServerExit!.IsCompleted);
        }
    }

    [Theory]
    [InlineData("\"error\":\"boom\"")]
    [InlineData("\"error\":{\"code\":\"x\",\"message\":\"m\"}")]
    [InlineData("\"error\":{\"code\":1}")]
    [InlineData("\"error\":{\"code\":1,\"message\":\"\\uD800\"}")]
    [InlineData("\"error\":{\"code\":-32601,\"message\":\"no\"}")]
    [InlineData("\"result\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    public async Task An_unreadable_answer_to_a_server_request_is_an_error_there_not_fatal(string answer)
    {
        using var ws = ServerFixture.Create();
        await using var client = LspTestClient.InProcess();
        client.RawAnswer = (id, _) => Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":{id},{answer}}}");
        var capabilities = new JsonObject
        {
            ["workspace"] = new JsonObject { ["configuration"] = true, ["didChangeWatchedFiles"] = new JsonObject { ["dynamicRegistration"] = true } },
            ["window"] = new JsonObject { ["workDoneProgress"] = true },
        };
        await client.InitializeAsync(ws.Root, capabilities);
        // Registration, settings and progress all fail in the server; it indexes anyway.
        await client.WaitForNotificationAsync("paperNotes/libraryStatus", p => !p.GetProperty("indexing").GetBoolean());
        await AssertStillServing(client, ws);
        Assert.False(client.ServerExit!.IsCompleted);
    }

    // YamlDotNet alone overflowed the stack on these and took the whole process down (bounded since the hostile-input work).
    [Fact]
    public async Task Deeply_nested_yaml_in_front_matter_or_a_csl_yaml_library_is_a_diagnostic_not_a_crash()
    {
        var (client, ws) = await Started();
        await using (client)
        using (ws)
        {
            var deep = new string('[', 100_000);
            await client.OpenAsync(ws.Path("notes/deep.md"), $"---\ncitekey: {deep}\n---\nSee [@vaswani2017].\n");
            await client.OpenAsync(ws.Path("library/deep.csl.yaml"), deep, "yaml");
            await client.WaitForDiagnosticsAsync(ws.Path("notes/deep.md"), d => d.Any(x => x.GetProperty("message").GetString()!.Contains("nested more than")));
            await client.WaitForDiagnosticsAsync(ws.Path("library/deep.csl.yaml"), d => d.Any(x => x.GetProperty("message").GetString()!.Contains("nested more than")));
            await AssertStillServing(client, ws);
        }
    }

    [Fact]
    public void Deeply_nested_yaml_in_the_workspace_config_is_an_error_not_a_crash()
    {
        var (config, error) = PaperNotes.Core.Workspace.WorkspaceConfig.Parse("library: " + new string('[', 100_000));
        Assert.Same(PaperNotes.Core.Workspace.WorkspaceConfig.Default, config);
        Assert.Contains("nested more than", error);
    }

    [Theory]
    [InlineData("textDocument/hover", """{"textDocument":null,"position":{"line":2,"character":16}}""")]
    [InlineData("textDocument/references", """{"position":{"line":2,"character":16}}""")]
    [InlineData("textDocument/completion", """{"textDocument":{"uri":"$A"},"position":null}""")]
    [InlineData("textDocument/rename", """{"textDocument":{"uri":"$A"},"position":{"line":2,"character":16}}""")]
    [InlineData("textDocument/codeAction", """{"textDocument":{"uri":"$A"},"range":{"start":{"line":0,"character":0},"end":null}}""")]
    [InlineData("textDocument/codeAction", """{"textDocument":{"uri":"$A"},"range":{"start":{"line":0,"character":0},"end":{"line":9,"character":0}},"context":{"diagnostics":[null]}}""")]
    [InlineData("textDocument/documentLink", "null")]
    public async Task Missing_or_null_required_params_are_an_error_response_not_an_exception(string method, string parameters)
    {
        var (client, ws) = await Started();
        await using (client)
        using (ws)
        {
            await client.OpenAsync(ws.Path("notes/a.md"), ServerFixture.NoteA);
            var (id, response) = client.ReserveId();
            var body = $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"{method}\",\"params\":{parameters.Replace("$A", LspTestClient.Uri(ws.Path("notes/a.md")))}}}";
            await client.SendRawAsync(Encoding.UTF8.GetBytes(body));
            var error = (await response.WaitAsync(TimeSpan.FromSeconds(30))).GetProperty("error");
            Assert.DoesNotContain("NullReferenceException", error.ToString());
            await AssertStillServing(client, ws);
            Assert.DoesNotContain(client.Notifications("window/logMessage"), m => m.GetProperty("type").GetInt32() == 1);
        }
    }

    [Fact]
    public async Task A_notification_with_null_required_params_is_ignored()
    {
        var (client, ws) = await Started();
        await using (client)
        using (ws)
        {
            var uri = LspTestClient.Uri(ws.Path("notes/a.md"));
            var open = """{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"$A","languageId":"markdown","version":1,"text":null}}}""";
            var change = """{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"$A","version":2},"contentChanges":[null]}}""";
            await client.SendRawAsync(Encoding.UTF8.GetBytes(open.Replace("$A", uri)));
            await client.SendRawAsync(Encoding.UTF8.GetBytes(change.Replace("$A", uri)));
            await AssertStillServing(client, ws);
        }
    }

    /// <summary>YAML whose aliases expand exponentially: 20 levels of four references each.</summary>
    private static string AliasBomb(string indent) =>
        $"{indent}a: &a [x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 20).Select(i =>
            $"{indent}k{i}: &k{i} [*{(i == 1 ? "a" : $"k{i - 1}")}, *{(i == 1 ? "a" : $"k{i - 1}")}, *{(i == 1 ? "a" : $"k{i - 1}")}, *{(i == 1 ? "a" : $"k{i - 1}")}]\n"));

    // Reading such an item took exponential time on the state's writer (found by the fuzzer before the hostile-input
    // bounds were merged): every request about a document changed after it waited.
    [Fact]
    public async Task A_csl_yaml_alias_bomb_is_cut_short_with_a_diagnostic()
    {
        var (client, ws) = await Started();
        await using (client)
        using (ws)
        {
            await client.OpenAsync(ws.Path("library/bomb.csl.yaml"), "- id: bomb\n  title: T\n" + AliasBomb("  "), "yaml");
            await client.OpenAsync(ws.Path("notes/bomb.md"), "---\nreferences:\n- id: inline\n" + AliasBomb("  ") + "---\nSee [@bomb].\n");
            await client.WaitForDiagnosticsAsync(ws.Path("library/bomb.csl.yaml"), d => d.Any(x => x.GetProperty("message").GetString()!.Contains("too many YAML aliases")));
            await client.WaitForDiagnosticsAsync(ws.Path("notes/bomb.md"), d => d.Any(x => x.GetProperty("message").GetString()!.Contains("too many YAML aliases")));
            await AssertStillServing(client, ws);
        }
    }

    // Was quadratic in the number of items (16,000 took 3 s, 100,000 about two minutes): every object's start offset
    // was looked up after its children and rescanned the file from the start. The timeout only catches that hang.
    [Fact]
    public async Task A_large_csl_json_library_parses_in_linear_time_with_exact_spans()
    {
        var text = "[\n" + string.Join(",\n", Enumerable.Range(0, 100_000).Select(i =>
            $$"""  {"id": "k{{i}}", "type": "article", "title": "Ünïcödé 😀 {{i}}", "author": [{"family": "Müller", "given": "Ä"}]}""")) + "\n]\n";
        var parse = Task.Run(() => PaperNotes.Core.Library.LibraryParser.Parse("/ws/big.csl.json", text, PaperNotes.Core.Library.LibraryKind.CslJson));
        var library = await parse.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(100_000, library.Papers.Count);
        Assert.Empty(library.Errors);
        foreach (var paper in new[] { library.Papers[0], library.Papers[54_321], library.Papers[^1] })
        {
            Assert.Equal(paper.Key, text.Substring(paper.KeySpan.Start, paper.KeySpan.Length));
            var entry = text.Substring(paper.EntrySpan.Start, paper.EntrySpan.Length);
            Assert.StartsWith($"{{\"id\": \"{paper.Key}\"", entry);
            Assert.EndsWith("}]}", entry);
        }
    }

    // A 1 KB file whose @string macros each join the previous one twice: 2^41 characters. Unbounded, this ran out of
    // memory (or woke the operating system's OOM killer) while the library was read (found by the fuzzer too).
    [Fact]
    public async Task A_bibtex_string_macro_bomb_is_cut_short_with_a_diagnostic()
    {
        var (client, ws) = await Started();
        await using (client)
        using (ws)
        {
            var bomb = "@string{s0 = \"xy\"}\n" + string.Concat(Enumerable.Range(1, 40).Select(i => $"@string{{s{i} = s{i - 1} # s{i - 1}}}\n"))
                + "@article{bomb, title = s40 # s40, author = {A. Author}}\n";
            await client.OpenAsync(ws.Path("library/bomb.bib"), bomb, "bibtex");
            await client.WaitForDiagnosticsAsync(ws.Path("library/bomb.bib"), d => d.Any(x => x.GetProperty("message").GetString()!.Contains("once its macros are expanded and joined")));
            var symbols = await client.ResultAsync("workspace/symbol", new JsonObject { ["query"] = "bomb" });
            Assert.Contains("bomb", symbols.ToString());
            await AssertStillServing(client, ws);
        }
    }

    // Data the server never sends (no key) reached Core as a null key: an ArgumentNullException, logged as a failure.
    [Theory]
    [InlineData("codeLens/resolve", """{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":1}},"data":{"path":"$A"}}""")]
    [InlineData("inlayHint/resolve", """{"position":{"line":0,"character":0},"label":"x","data":{"path":"$A"}}""")]
    [InlineData("inlayHint/resolve", """{"position":{"line":0,"character":0},"label":"x","data":{"key":"vaswani2017"}}""")]
    public async Task Resolve_data_without_a_key_or_note_leaves_the_item_as_it_is(string method, string parameters)
    {
        var (client, ws) = await Started();
        await using (client)
        using (ws)
        {
            var item = JsonNode.Parse(parameters.Replace("$A", ws.Path("notes/papers/vaswani2017.md")))!;
            var result = await client.ResultAsync(method, item);
            Assert.True(JsonNode.DeepEquals(item, JsonNode.Parse(result.GetRawText())), result.ToString());
            Assert.DoesNotContain(client.Notifications("window/logMessage"), m => m.GetProperty("type").GetInt32() == 1);
        }
    }

    // "Method not found" is not a RemoteInvocationException: it escaped the handler as an error response with its type.
    [Fact]
    public async Task A_client_without_showDocument_gets_a_warning_not_an_error_from_paperNotes_open()
    {
        var (client, ws) = await Started();
        await using (client)
        using (ws)
        {
            client.RawAnswer = (id, method) => method == "window/showDocument"
                ? Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32601,\"message\":\"no\"}}")
                : null;
            var result = await client.ResultAsync("workspace/executeCommand", new JsonObject
            {
                ["command"] = "paperNotes.open",
                ["arguments"] = new JsonArray(LspTestClient.Uri(ws.Path("notes/b.md"))),
            });
            Assert.Equal(System.Text.Json.JsonValueKind.Null, result.ValueKind);
            await client.WaitForNotificationAsync("window/logMessage", m => m.GetProperty("message").GetString()!.StartsWith("the client could not show"));
        }
    }

    // Each of n definitions of a key named all n-1 others: quadratic. The fuzzer's 12,000 copies of one key made
    // 144 M related locations and took the test process to 22 GB.
    [Fact]
    public async Task A_key_defined_a_thousand_times_names_at_most_ten_other_places_per_finding()
    {
        var (client, ws) = await Started();
        await using (client)
        using (ws)
        {
            var bib = string.Concat(Enumerable.Range(0, 1000).Select(i => $"@article{{dup, title = {{Copy {i}}}}}\n"));
            await client.OpenAsync(ws.Path("library/dup.bib"), bib, "bibtex");
            var diagnostics = await client.WaitForDiagnosticsAsync(ws.Path("library/dup.bib"), d => d.Count(x => x.GetProperty("code").GetString() == "duplicate-key") == 1000);
            var findings = diagnostics.GetProperty("diagnostics").EnumerateArray().Where(d => d.GetProperty("code").GetString() == "duplicate-key").ToList();
            Assert.All(findings, d => Assert.True(d.GetProperty("relatedInformation").GetArrayLength() <= 10));
            Assert.Contains(findings, d => d.GetProperty("message").GetString()!.Contains("and 989 more places"));
            await AssertStillServing(client, ws);
        }
    }

    // At offset 0 of a note starting with a line break, the wiki-link scan took that '\n' as the start of the cursor's
    // line: LastIndexOf with a negative count threw, logged as a failed completion.
    [Theory]
    [InlineData("\nSee [[b]].\n", 0, 0)]
    [InlineData("\n\n[[", 0, 40)]
    [InlineData("\r\n[[b", 0, 0)]
    public async Task Completion_at_the_start_of_a_note_that_starts_with_a_line_break_is_answered(string text, int line, int character)
    {
        var (client, ws) = await Started();
        await using (client)
        using (ws)
        {
            await client.OpenAsync(ws.Path("notes/c.md"), text);
            await client.ResultAsync("textDocument/completion", LspTestClient.At(ws.Path("notes/c.md"), line, character));
            Assert.DoesNotContain(client.Notifications("window/logMessage"), m => m.GetProperty("type").GetInt32() == 1);
        }
    }
}
