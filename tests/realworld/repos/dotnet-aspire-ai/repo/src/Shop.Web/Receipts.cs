using Azure.AI.FormRecognizer.DocumentAnalysis;

namespace Shop.Web;

public sealed class Receipts(DocumentAnalysisClient client)
{
    public async Task<AnalyzeResult> ReadAsync(Uri receipt) =>
        (await client.AnalyzeDocumentFromUriAsync(Azure.WaitUntil.Completed, "prebuilt-receipt", receipt)).Value;
}
