"""The 38 success criteria of JIS X 8341-3:2016 (WCAG 2.0) at levels A and AA."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TestKind = Literal["AC", "AF", "HC"]


@dataclass(frozen=True)
class Criterion:
    """One success criterion and how this audit tests it."""

    number: str
    level: Literal["A", "AA"]
    title_ja: str
    title_en: str
    #: AC: a machine finds and judges; AF: a machine finds, a person judges; HC: a person
    kind: TestKind
    #: what a person still has to check, in Japanese and English
    review_ja: str
    review_en: str
    #: the inventory item whose absence makes the criterion not applicable
    applies_if: str | None = None

    @property
    def label(self) -> str:
        """Return 'number title_ja / title_en' for messages."""
        return f"{self.number} {self.title_ja} / {self.title_en}"


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "1.1.1",
        "A",
        "非テキストコンテンツ",
        "Non-text Content",
        "AF",
        "画像・アイコンの代替テキストが同等の目的を果たすか",
        "alternative text serves the same purpose as each image or icon",
        applies_if="images",
    ),
    Criterion(
        "1.2.1",
        "A",
        "音声のみ及び映像のみ（収録済み）",
        "Audio-only and Video-only (Prerecorded)",
        "HC",
        "収録済みの音声・映像に同等の代替があるか",
        "prerecorded audio or video has an equivalent alternative",
        applies_if="media",
    ),
    Criterion(
        "1.2.2",
        "A",
        "キャプション（収録済み）",
        "Captions (Prerecorded)",
        "HC",
        "収録済み映像のキャプションが正確で同期しているか",
        "captions of prerecorded video are accurate and in sync",
        applies_if="media",
    ),
    Criterion(
        "1.2.3",
        "A",
        "音声解説又はメディアに対する代替コンテンツ（収録済み）",
        "Audio Description or Media Alternative (Prerecorded)",
        "HC",
        "映像の視覚情報に音声解説又は代替コンテンツがあるか",
        "video has audio description or a full text alternative",
        applies_if="media",
    ),
    Criterion(
        "1.2.4",
        "AA",
        "キャプション（ライブ）",
        "Captions (Live)",
        "HC",
        "ライブ映像にキャプションがあるか",
        "live video has captions",
        applies_if="media",
    ),
    Criterion(
        "1.2.5",
        "AA",
        "音声解説（収録済み）",
        "Audio Description (Prerecorded)",
        "HC",
        "収録済み映像に音声解説があるか",
        "prerecorded video has audio description",
        applies_if="media",
    ),
    Criterion(
        "1.3.1",
        "A",
        "情報及び関係性",
        "Info and Relationships",
        "AF",
        "見出し・リスト・表・フィールドのグループが見た目の構造と一致するか",
        "headings, lists, tables and field groups match the visual structure",
    ),
    Criterion(
        "1.3.2",
        "A",
        "意味のある順序",
        "Meaningful Sequence",
        "HC",
        "CSSを無効にしても読み上げ順序が意味を保つか",
        "the reading order keeps its meaning with CSS off",
    ),
    Criterion(
        "1.3.3",
        "A",
        "感覚的な特徴",
        "Sensory Characteristics",
        "HC",
        "説明が形・位置・色だけに頼っていないか（「右のボタン」等）",
        "instructions do not rely on shape, position or colour alone",
    ),
    Criterion(
        "1.4.1",
        "A",
        "色の使用",
        "Use of Color",
        "AF",
        "エラーや必須の表示が色だけで伝わっていないか",
        "errors and required fields are not shown by colour alone",
    ),
    Criterion(
        "1.4.2",
        "A",
        "音声の制御",
        "Audio Control",
        "AC",
        "自動再生する音声がないこと",
        "no audio plays automatically",
        applies_if="audio",
    ),
    Criterion(
        "1.4.3",
        "AA",
        "コントラスト（最低限レベル）",
        "Contrast (Minimum)",
        "AF",
        "axeが判定できなかった文字（背景画像上など）のコントラスト比",
        "contrast of text that axe could not judge (over images, gradients)",
    ),
    Criterion(
        "1.4.4",
        "AA",
        "テキストのサイズ変更",
        "Resize text",
        "AC",
        "ブラウザの文字サイズのみ拡大でも欠けがないか",
        "nothing is lost with text-only zoom at 200%",
    ),
    Criterion(
        "1.4.5",
        "AA",
        "文字画像",
        "Images of Text",
        "HC",
        "文字を画像で表していないか",
        "text is not shown as an image",
        applies_if="images",
    ),
    Criterion(
        "2.1.1",
        "A",
        "キーボード",
        "Keyboard",
        "AC",
        "スクリーンリーダー併用時にもキーボードで全操作ができるか",
        "everything also works by keyboard with a screen reader running",
    ),
    Criterion(
        "2.1.2",
        "A",
        "キーボードトラップなし",
        "No Keyboard Trap",
        "AC",
        "埋め込みコンテンツからもフォーカスを移動できるか",
        "focus can also leave any embedded content",
    ),
    Criterion(
        "2.2.1",
        "A",
        "タイミング調整可能",
        "Timing Adjustable",
        "AF",
        "セッションの有効期限前に警告と延長手段があるか",
        "sessions that expire warn in time and can be extended",
    ),
    Criterion(
        "2.2.2",
        "A",
        "一時停止，停止及び非表示",
        "Pause, Stop, Hide",
        "AC",
        "動き・点滅・自動更新する内容がないこと",
        "nothing moves, blinks or updates by itself",
        applies_if="motion",
    ),
    Criterion(
        "2.3.1",
        "A",
        "3回の閃光，又は閾値以下",
        "Three Flashes or Below Threshold",
        "AC",
        "1秒間に3回を超える閃光がないこと",
        "nothing flashes more than three times a second",
        applies_if="motion",
    ),
    Criterion(
        "2.4.1",
        "A",
        "ブロックスキップ",
        "Bypass Blocks",
        "AC",
        "スキップリンクが見えて機能するか",
        "the skip link is visible on focus and works",
    ),
    Criterion(
        "2.4.2",
        "A",
        "ページタイトル",
        "Page Titled",
        "AF",
        "タイトルが各ページの主題を表しているか",
        "each title describes its page",
    ),
    Criterion(
        "2.4.3",
        "A",
        "フォーカス順序",
        "Focus Order",
        "AF",
        "フォーカス順序が意味と操作性を保っているか",
        "the focus order keeps meaning and operability",
    ),
    Criterion(
        "2.4.4",
        "A",
        "リンクの目的（コンテキスト内）",
        "Link Purpose (In Context)",
        "AF",
        "リンクテキストが文脈から目的を示すか",
        "link text shows its purpose in context",
    ),
    Criterion(
        "2.4.5",
        "AA",
        "複数の手段",
        "Multiple Ways",
        "HC",
        "カタログ・検索など複数の方法でページに到達できるか",
        "pages can be reached in more than one way (catalog, search)",
    ),
    Criterion(
        "2.4.6",
        "AA",
        "見出し及びラベル",
        "Headings and Labels",
        "HC",
        "見出しとラベルが主題・目的を説明しているか",
        "headings and labels describe topic or purpose",
    ),
    Criterion(
        "2.4.7",
        "AA",
        "フォーカスの可視化",
        "Focus Visible",
        "AC",
        "フォーカス表示が十分に目立つか",
        "the focus indicator is easy to see",
    ),
    Criterion(
        "3.1.1",
        "A",
        "ページの言語",
        "Language of Page",
        "AC",
        "lang属性が実際の主言語と一致するか",
        "the lang attribute matches the main language",
    ),
    Criterion(
        "3.1.2",
        "AA",
        "一部分の言語",
        "Language of Parts",
        "AF",
        "自動判定できない同一文字体系の他言語の部分にlang属性があるか",
        "other-language passages in the same script carry lang",
    ),
    Criterion(
        "3.2.1",
        "A",
        "フォーカス時",
        "On Focus",
        "AC",
        "フォーカスで予期しない変化が起きないこと",
        "focus causes no unexpected change of context",
    ),
    Criterion(
        "3.2.2",
        "A",
        "入力時",
        "On Input",
        "AC",
        "入力で予期しない変化が起きないこと",
        "input causes no unexpected change of context",
    ),
    Criterion(
        "3.2.3",
        "AA",
        "一貫したナビゲーション",
        "Consistent Navigation",
        "AC",
        "繰り返されるナビゲーションが同じ相対順序か",
        "repeated navigation keeps the same relative order",
    ),
    Criterion(
        "3.2.4",
        "AA",
        "一貫した識別性",
        "Consistent Identification",
        "HC",
        "同じ機能のコンポーネントが一貫して識別されるか",
        "components with the same function are identified consistently",
    ),
    Criterion(
        "3.3.1",
        "A",
        "エラーの特定",
        "Error Identification",
        "AC",
        "エラーメッセージの文言が誤りを具体的に説明しているか",
        "each error message says specifically what is wrong",
    ),
    Criterion(
        "3.3.2",
        "A",
        "ラベル又は説明",
        "Labels or Instructions",
        "AF",
        "入力形式の説明（日付・電話番号など）が十分か",
        "instructions for formats (dates, phone numbers) are sufficient",
    ),
    Criterion(
        "3.3.3",
        "AA",
        "エラー修正の提案",
        "Error Suggestion",
        "AF",
        "エラーメッセージが修正方法を提案しているか",
        "each error message suggests how to correct it",
    ),
    Criterion(
        "3.3.4",
        "AA",
        "エラー回避（法的，金融，データ）",
        "Error Prevention (Legal, Financial, Data)",
        "AC",
        "確認画面の内容が正確で、変更リンクが正しいページに戻るか",
        "the check-answers page is accurate and its change links return to the right page",
    ),
    Criterion(
        "4.1.1",
        "A",
        "構文解析",
        "Parsing",
        "AC",
        "検証ツールの結果以外に問題がないか",
        "nothing beyond the validator's findings",
    ),
    Criterion(
        "4.1.2",
        "A",
        "名前（name），役割（role）及び値（value）",
        "Name, Role, Value",
        "AF",
        "カスタム部品の名前・役割・状態が支援技術に伝わるか",
        "custom widgets expose name, role and state to assistive technology",
    ),
)
BY_NUMBER = {criterion.number: criterion for criterion in CRITERIA}


def criterion(number: str) -> Criterion:
    """Return the criterion numbered `number` (e.g. '2.4.7')."""
    return BY_NUMBER[number]


def from_axe_tags(tags: list[str]) -> list[Criterion]:
    """Return the A/AA criteria an axe rule's tags name (e.g. 'wcag143' → 1.4.3)."""
    found = []
    for tag in tags:
        digits = tag.removeprefix("wcag")
        if digits != tag and digits.isdigit() and len(digits) >= 3:
            number = f"{digits[0]}.{digits[1]}.{digits[2:]}"
            if number in BY_NUMBER:
                found.append(BY_NUMBER[number])
    return found
