using System.Reflection;
using System.Text.Json;
using StreamJsonRpc;
using P = PaperNotes.Server.Protocol;

namespace PaperNotes.Server.Tests;

/// <summary>
/// The server serializes through source-generated metadata only (NativeAOT, trimming): every wire type must be in
/// <see cref="P.LspJsonContext"/>, and handlers must be describable without dynamic code.
/// </summary>
public class ProtocolJsonTests
{
    private static readonly Assembly Server = typeof(P.LspJson).Assembly;

    public static IEnumerable<object[]> ProtocolTypes() =>
        Server.GetTypes()
            .Where(t => t.Namespace == typeof(P.LspJson).Namespace && t.IsPublic && !t.IsAbstract && t != typeof(P.LspJson))
            .Select(t => new object[] { t.Name });

    [Theory]
    [MemberData(nameof(ProtocolTypes))]
    public void Every_protocol_record_has_source_generated_metadata(string name)
    {
        var type = Server.GetType($"{typeof(P.LspJson).Namespace}.{name}")!;
        Assert.NotNull(P.LspJson.Options.TypeInfoResolver!.GetTypeInfo(type, P.LspJson.Options));
    }

    private static IEnumerable<MethodInfo> RpcMethods() =>
        Server.GetTypes().Where(t => t.Namespace == "PaperNotes.Server.Handlers")
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(m => m.GetCustomAttribute<JsonRpcMethodAttribute>() is not null);

    [Fact]
    public void Every_handler_parameter_and_result_has_source_generated_metadata()
    {
        var methods = RpcMethods().ToList();
        Assert.NotEmpty(methods);
        foreach (var method in methods)
        {
            var types = method.GetParameters().Select(p => p.ParameterType).Where(t => t != typeof(CancellationToken)).ToList();
            var result = method.ReturnType;
            if (result.IsGenericType && result.GetGenericTypeDefinition() == typeof(Task<>)) result = result.GetGenericArguments()[0];
            if (result != typeof(void) && result != typeof(Task)) types.Add(result);
            foreach (var type in types)
                Assert.True(P.LspJson.Options.TypeInfoResolver!.GetTypeInfo(type, P.LspJson.Options) is not null, $"{method.DeclaringType!.Name}.{method.Name}: no metadata for {type}");
        }
    }

    [Fact]
    public void Handlers_declare_no_events()
    {
        // RpcTargetMetadata.FromClass needs dynamic code (NativeAOT) only for events: LanguageServer.Add relies on this.
        var events = Server.GetTypes().Where(t => t.Namespace == "PaperNotes.Server.Handlers").SelectMany(t => t.GetEvents()).ToList();
        Assert.Empty(events);
    }

    [Fact]
    public void Reflection_is_not_a_fallback()
    {
        var ex = Assert.ThrowsAny<Exception>(() => JsonSerializer.Serialize(new Uri("file:///x"), P.LspJson.Options));
        Assert.True(ex is NotSupportedException or InvalidOperationException, ex.ToString());
    }
}
