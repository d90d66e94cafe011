"""The plan's charts: geometry computed in Python, drawn by the template, every bar labelled."""

from sharing.plan import charts


def test_bars_scale_to_the_tallest_and_carry_their_values():
    chart = charts.bars(["24-01", "24-02"], [0, 5], title="x")
    low, high = chart.rects
    assert low.height == 0 and high.y == 20 and high.y + high.height == chart.baseline
    assert [t.text for t in chart.labels] == ["0", "24-01", "5", "24-02"]


def test_grouped_bars_have_one_colour_per_series_and_a_legend():
    chart = charts.grouped_bars(
        ["1 가", "2 나"], ["2017년", "2018년"], [[10, 20.5], [0, 3]], title="t", unit="백만원"
    )
    bars, legend = chart.rects[:4], chart.rects[4:]
    assert [b.fill for b in bars] == [charts.PALETTE[0], charts.PALETTE[1]] * 2
    assert [r.fill for r in legend] == list(charts.PALETTE[:2])
    texts = [t.text for t in chart.labels]
    assert "20.5" in texts and "1 가" in texts and "2018년" in texts and texts[0] == "백만원"


def test_the_overview_draws_the_chart_in_the_page(client, plan, auth, centre):
    auth.login(centre)
    html = client.get("/admin/plan").get_data(as_text=True)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'class="plan-chart"' in svg and "<rect" in svg and 'aria-hidden="true"' in svg
    assert "추진과제별·연도별 예산" in svg  # the title, escaped by the template
