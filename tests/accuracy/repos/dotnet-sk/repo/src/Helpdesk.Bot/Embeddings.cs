using Azure.AI.OpenAI;
using Azure.Identity;
using OpenAI.Embeddings;

namespace Helpdesk.Bot;

public sealed class Embeddings
{
    private readonly EmbeddingClient _client;

    public Embeddings(Uri endpoint, string deployment)
    {
        var azure = new AzureOpenAIClient(endpoint, new DefaultAzureCredential());
        _client = azure.GetEmbeddingClient(deployment);
    }

    public async Task<ReadOnlyMemory<float>> EmbedAsync(string text)
    {
        OpenAIEmbedding embedding = await _client.GenerateEmbeddingAsync(text);
        return embedding.ToFloats();
    }
}
