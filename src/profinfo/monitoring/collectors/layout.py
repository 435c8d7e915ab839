"""Judging a rendered page's layout by measurement (pure: measurements in, Findings out).

The renderer (monitoring/rendering.py) loads the home page in Chromium at a computer's
screen (1366×900) and a phone's (390×844) and measures each: how wide the page is against
the screen, how much of its text is smaller than 12 px as a person sees it, how wide the
column of text is, and how many links and buttons are smaller than 24×24 px (WCAG 2.2,
«Target Size (Minimum)»). The rules here turn those figures into «Вёрстка для компьютера»
and «Вёрстка для смартфона», with the figures as evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from .site_criteria import Finding

DESKTOP = ("desktop", 1366, 900)  # (name, width, height) of each screen
PHONE = ("phone", 390, 844)
OVERFLOW_TOLERANCE = 2  # px: rounding of sub-pixel layouts
SMALL_TEXT_PX = 12
SMALL_TEXT_SHARE = 0.4  # Lighthouse: legible when at least 60 % of the text is ≥ 12 px
MIN_CONTENT_WIDTH = 600  # px at 1366: narrower is a phone column on a computer screen
SMALL_TARGET_PX = 24
SMALL_TARGET_SHARE = 0.5  # most links and buttons too small to tap: not a phone layout
MIN_TARGETS = 4  # fewer links than this say nothing about tapping


@dataclass(frozen=True)
class Measurement:
    """One screen's figures, in CSS pixels as a person sees them (the page's scale applied
    to text and targets: a desktop page shrunk onto a phone has tiny text)."""

    viewport: str  # desktop | phone
    width: int  # the screen's width
    height: int
    page_width: int  # the width the page is laid out at (scrollWidth, layout viewport)
    scale: float = 1.0  # the visual viewport's scale (below 1: the page was shrunk to fit)
    text_chars: int = 0  # visible characters
    small_text_chars: int = 0  # of them, smaller than SMALL_TEXT_PX as seen
    content_width: int = 0  # the column the text occupies (10th–90th percentile by chars)
    targets: int = 0  # links and buttons (inline links inside sentences not counted)
    small_targets: int = 0  # of them, smaller than 24×24 as seen

    @property
    def overflows(self) -> bool:
        return self.page_width > self.width + OVERFLOW_TOLERANCE

    @property
    def small_text_share(self) -> float:
        return self.small_text_chars / self.text_chars if self.text_chars else 0.0

    @property
    def small_target_share(self) -> float:
        return self.small_targets / self.targets if self.targets else 0.0

    @classmethod
    def from_json(cls, data: dict) -> Measurement:
        fields = cls.__dataclass_fields__
        return cls(**{key: value for key, value in data.items() if key in fields})


def _percent(share: float) -> str:
    return f"{share:.0%}".replace("%", "\u00a0%")


def _evidence(url: str, text: str) -> str:
    return f"{url} — {text}"


def _screen(m: Measurement) -> str:
    return f"при ширине экрана {m.width} px (измерено в браузере)"


def judge_desktop(url: str, m: Measurement | None) -> Finding:
    """«Вёрстка для компьютера»: at 1366 px no sideways scrolling, the text not squeezed into
    a phone's column, the text readable. No measurement, or a page with no text after
    rendering (its scripts come from elsewhere and are not loaded): not checked."""
    if m is None or not m.text_chars:
        return Finding(None, _evidence(url, "после отрисовки на странице нет текста: вёрстка "
                                            "не проверена") if m is not None else None)
    if m.overflows:
        return Finding(False, _evidence(url, f"{_screen(m)} страница шире экрана: "
                                             f"{m.page_width} px, нужна прокрутка вбок"))
    if m.content_width < MIN_CONTENT_WIDTH:
        return Finding(False, _evidence(url, f"{_screen(m)} текст сжат в колонку "
                                             f"{m.content_width} px, как на телефоне"))
    if m.small_text_share > SMALL_TEXT_SHARE:
        return Finding(False, _evidence(url, f"{_screen(m)} мелкий текст (меньше "
                                             f"{SMALL_TEXT_PX} px): "
                                             f"{_percent(m.small_text_share)}"))
    return Finding(True, _evidence(url, f"{_screen(m)} без прокрутки вбок, колонка текста "
                                        f"{m.content_width} px, мелкого текста "
                                        f"{_percent(m.small_text_share)}"))


def judge_phone(url: str, m: Measurement | None, static: Finding) -> Finding:
    """«Вёрстка для смартфона» at 390 px: no sideways scrolling (a page laid out wider than
    the screen and shrunk to fit counts as wider) and the text readable as seen; links too
    small to tap are named in the evidence; the viewport tag of the page as built is required
    too (a fixed «width=980» is a shrunk desktop page). Without a usable measurement the rule
    (`static`: the viewport tag) stands."""
    if m is None or not m.text_chars:
        return static
    if m.overflows:
        return Finding(False, _evidence(url, f"{_screen(m)} страница шире экрана: "
                                             f"{m.page_width} px, нужна прокрутка вбок или "
                                             f"увеличение"))
    if m.small_text_share > SMALL_TEXT_SHARE:
        return Finding(False, _evidence(url, f"{_screen(m)} мелкий текст (меньше "
                                             f"{SMALL_TEXT_PX} px): "
                                             f"{_percent(m.small_text_share)}"))
    if static.present is None:
        return static  # the viewport could not be read: not checked, not «нет»
    if not static.present:  # the page as built has no viewport following the phone's width
        return Finding(False, _evidence(url, f"{_screen(m)} нет <meta name=\"viewport\" "
                                             f"content=\"width=device-width\">: телефон "
                                             f"показывает уменьшенную страницу компьютера"))
    # Small tap targets are said, not judged: text links of a readable size are about
    # 18 px high, so the WCAG 24 px size alone would fail most union sites (issue 11:
    # on the corpus it turned 68 of 83 sites with a phone layout into «нет»).
    advice = (f"; ссылок и кнопок меньше {SMALL_TARGET_PX}×{SMALL_TARGET_PX} px: "
              f"{m.small_targets} из {m.targets} — их стоит сделать крупнее"
              if m.targets >= MIN_TARGETS and m.small_target_share > SMALL_TARGET_SHARE else "")
    return Finding(True, _evidence(url, f"{_screen(m)} без прокрутки вбок, мелкого текста "
                                        f"{_percent(m.small_text_share)}{advice}"))


def judge_layouts(url: str, measurements: dict[str, Measurement],
                  static_phone: Finding) -> dict[str, Finding]:
    """Both layout criteria from a rendering's measurements (by screen name)."""
    return {"mobile_layout": judge_phone(url, measurements.get(PHONE[0]), static_phone),
            "desktop_layout": judge_desktop(url, measurements.get(DESKTOP[0]))}
