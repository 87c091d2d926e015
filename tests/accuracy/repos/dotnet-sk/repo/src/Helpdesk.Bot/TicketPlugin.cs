using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace Helpdesk.Bot;

public sealed class TicketPlugin
{
    [KernelFunction, Description("Opens a helpdesk ticket and returns its number.")]
    public string OpenTicket([Description("Short summary")] string summary)
    {
        return $"HD-{Math.Abs(summary.GetHashCode()) % 100000:D5}";
    }
}
