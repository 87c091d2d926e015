using Azure.Identity;
using Helpdesk.Bot;
using Microsoft.SemanticKernel;

var builder = WebApplication.CreateBuilder(args);
var aoai = builder.Configuration.GetSection("AzureOpenAI");

builder.Services.AddKernel()
    .AddAzureOpenAIChatCompletion(
        deploymentName: aoai["ChatDeployment"]!,
        endpoint: aoai["Endpoint"]!,
        credentials: new DefaultAzureCredential())
    .Plugins.AddFromType<TicketPlugin>();

var app = builder.Build();

app.MapPost("/ask", async (Kernel kernel, AskRequest req) =>
{
    var result = await kernel.InvokePromptAsync(
        "Answer the employee's IT question briefly: {{$question}}",
        new KernelArguments { ["question"] = req.Question });
    return Results.Ok(new { answer = result.ToString() });
});

app.Run();

public record AskRequest(string Question);
