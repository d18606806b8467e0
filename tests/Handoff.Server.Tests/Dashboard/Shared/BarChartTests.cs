using Bunit;
using Handoff.Server.Dashboard.Shared;

namespace Handoff.Server.Tests.Dashboard.Shared;

public sealed class BarChartTests : BunitContext
{
    [Fact]
    public void Render_Values_OneBarPerValueWithTooltipsAndAHiddenTable()
    {
        var chart = Render<BarChart>(p => p
            .Add(c => c.Id, "chart")
            .Add(c => c.Caption, "Cases per day")
            .Add(c => c.Bars, [new ChartBar("Nov 1", 4), new ChartBar("Nov 2", 0), new ChartBar("Nov 3", 8, "eight")]));

        var bars = chart.FindAll("rect.bar");
        Assert.Equal(3, bars.Count);
        Assert.Equal(["Nov 1: 4", "Nov 2: 0", "Nov 3: eight"], bars.Select(b => b.QuerySelector("title")!.TextContent));
        // The highest bar fills the plot; half the value is half as tall; zero is flat.
        var heights = bars.Select(b => double.Parse(b.GetAttribute("height")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(heights[2] / 2, heights[0], 3);
        Assert.Equal(0, heights[1]);
        Assert.Equal("Cases per day", chart.Find("figure#chart > figcaption").TextContent);
        Assert.Equal("true", chart.Find("svg").GetAttribute("aria-hidden"));
        Assert.Equal(["Nov 1", "4", "Nov 2", "0", "Nov 3", "eight"],
            chart.FindAll("table.visually-hidden tbody tr").SelectMany(r => r.Children.Select(c => c.TextContent)));
    }

    [Fact]
    public void Render_AllZero_DrawsFlatBarsWithoutDividingByZero()
    {
        var chart = Render<BarChart>(p => p
            .Add(c => c.Id, "chart")
            .Add(c => c.Caption, "Expired")
            .Add(c => c.Bars, [.. Enumerable.Range(1, 30).Select(d => new ChartBar($"d{d}", 0))]));

        var bars = chart.FindAll("rect.bar");
        Assert.Equal(30, bars.Count);
        Assert.All(bars, b => Assert.Equal("0", b.GetAttribute("height")));
        Assert.All(bars, b => Assert.DoesNotContain("NaN", b.OuterHtml, StringComparison.Ordinal));
        // Thirty labels would overlap: only the first, middle and last are written.
        Assert.Equal(["d1", "d16", "d30"], chart.FindAll(".chart-labels li").Select(l => l.TextContent).Where(t => t.Length > 0));
    }

    [Fact]
    public void Render_NoBars_RendersAnEmptyChart()
    {
        var chart = Render<BarChart>(p => p.Add(c => c.Id, "chart").Add(c => c.Caption, "Nothing").Add(c => c.Bars, []));

        Assert.Empty(chart.FindAll("rect.bar"));
        Assert.Empty(chart.FindAll("tbody tr"));
    }
}
