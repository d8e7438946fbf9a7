"""Regenerate the two-channel Telegram test export and its gold file in this folder.

    .venv/bin/python tests/data/telegram_releases/make_export.py

Writes outlet_channel/result.json (an outlet's own channel), relay_channel/result.json (a relay
channel that forwards and copies the outlet's releases and posts its own), and gold.jsonl (one
line per message). Everything here is our own writing: release captions shaped like metadata
("new issue of the magazine, 52 pages") and short neutral paraphrases of what a release is about
("threat of attacks on Paris"), never the rhetoric itself. No media file exists: the export
records only file names and sizes, as Telegram Desktop does when media is not exported.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"
THEMES = ("anti_taliban", "hijrah", "external_threat", "grievance", "attack_claim")
MEDIA = ("magazine", "video", "audio", "image", "statement", "article", "book")

# language variant -> (ISO 639-1 code, caption templates, topic paraphrases, Al-Azaim signature)
VARIANTS: dict[str, dict] = {
    "en": {
        "code": "en",
        "pub": "Voice of Khurasan",
        "magazine": "New issue of {pub} magazine, number {n}, {p} pages. Main topic: {topic}.",
        "video": "New video, {m} minutes: {topic}.",
        "audio": "New audio message: {topic}.",
        "image": "New poster: {topic}.",
        "statement": "Statement: {topic}.",
        "article": "New article: {topic}.",
        "book": "New book, {p} pages: {topic}.",
        "post": "{Topic}.",
        "topics": {
            "anti_taliban": "criticism of the Taliban as apostates and nationalists",
            "hijrah": "call to make hijrah and join",
            "external_threat": "threat of attacks on Paris and Moscow",
            "grievance": "on the ban of religious dress in Tajikistan and on migrant workers",
            "attack_claim": "claim of an attack on a checkpoint in Kabul",
        },
        "signature": "Al-Azaim Foundation",
        "chatter": ["The channel will move to a new link soon.", "Please share the channel with your friends.",
                    "The video link is broken, it will be fixed."],
    },
    "ru": {
        "code": "ru",
        "pub": "Голос Хорасана",
        "magazine": "Новый выпуск журнала «{pub}», номер {n}, {p} страниц. Главная тема: {topic}.",
        "video": "Новое видео, {m} минут: {topic}.",
        "audio": "Новое аудиообращение: {topic}.",
        "image": "Новый плакат: {topic}.",
        "statement": "Заявление: {topic}.",
        "article": "Новая статья: {topic}.",
        "book": "Новая книга, {p} страниц: {topic}.",
        "post": "{Topic}.",
        "topics": {
            "anti_taliban": "критика талибов как вероотступников и националистов",
            "hijrah": "призыв к хиджре и присоединению",
            "external_threat": "угроза нападений на Париж и Москву",
            "grievance": "о запрете религиозной одежды в Таджикистане и о трудовых мигрантах",
            "attack_claim": "взятие ответственности за нападение на блокпост в Кабуле",
        },
        "signature": "Фонд «Аль-Азаим»",
        "chatter": ["Канал скоро переедет на новую ссылку.", "Пожалуйста, поделитесь каналом с друзьями."],
    },
    "tg": {
        "code": "tg",
        "pub": "Садои Хуросон",
        "magazine": "Шумораи нави маҷаллаи «{pub}», рақами {n}, {p} саҳифа. Мавзӯи асосӣ: {topic}.",
        "video": "Видеои нав, {m} дақиқа: {topic}.",
        "audio": "Паёми аудиоии нав: {topic}.",
        "image": "Плакати нав: {topic}.",
        "statement": "Изҳорот: {topic}.",
        "article": "Мақолаи нав: {topic}.",
        "book": "Китоби нав, {p} саҳифа: {topic}.",
        "post": "{Topic}.",
        "topics": {
            "anti_taliban": "интиқоди Толибон ҳамчун муртадҳо ва миллатгароён",
            "hijrah": "даъват ба ҳиҷрат ва ҳамроҳ шудан",
            "external_threat": "таҳдиди ҳамла ба Париж ва Маскав",
            "grievance": "дар бораи манъи либоси динӣ дар Тоҷикистон ва муҳоҷирони меҳнатӣ",
            "attack_claim": "ба ӯҳда гирифтани ҳамла ба посгоҳ дар Кобул",
        },
        "signature": "Бунёди Ал-Азоим",
        "chatter": ["Канал ба зудӣ ба пайванди нав интиқол меёбад.", "Лутфан каналро ба дӯстонатон фиристед."],
    },
    "uz-Latn": {
        "code": "uz",
        "pub": "Xuroson ovozi",
        "magazine": "«{pub}» jurnalining yangi soni, {n}-son, {p} sahifa. Asosiy mavzu: {topic}.",
        "video": "Yangi video, {m} daqiqa: {topic}.",
        "audio": "Yangi audio murojaat: {topic}.",
        "image": "Yangi plakat: {topic}.",
        "statement": "Bayonot: {topic}.",
        "article": "Yangi maqola: {topic}.",
        "book": "Yangi kitob, {p} sahifa: {topic}.",
        "post": "{Topic}.",
        "topics": {
            "anti_taliban": "Tolibonni murtad va millatchi deb tanqid qilish",
            "hijrah": "hijratga va qo‘shilishga chaqiriq",
            "external_threat": "Parij va Moskvaga hujum tahdidi",
            "grievance": "Tojikistonda diniy kiyim taqiqlanishi va mehnat muhojirlari haqida",
            "attack_claim": "Kobuldagi postga hujum uchun javobgarlikni o‘z zimmasiga olish",
        },
        "signature": "Al-Azoim jamg‘armasi",
        "chatter": ["Kanal tez orada yangi havolaga ko‘chadi.", "Iltimos, kanalni do‘stlaringizga ulashing."],
    },
    "uz-Cyrl": {
        "code": "uz",
        "pub": "Хуросон овози",
        "magazine": "«{pub}» журналининг янги сони, {n}-сон, {p} саҳифа. Асосий мавзу: {topic}.",
        "video": "Янги видео, {m} дақиқа: {topic}.",
        "audio": "Янги аудио мурожаат: {topic}.",
        "image": "Янги плакат: {topic}.",
        "statement": "Баёнот: {topic}.",
        "article": "Янги мақола: {topic}.",
        "book": "Янги китоб, {p} саҳифа: {topic}.",
        "post": "{Topic}.",
        "topics": {
            "anti_taliban": "Толибонни муртад ва миллатчи деб танқид қилиш",
            "hijrah": "ҳижратга ва қўшилишга чақириқ",
            "external_threat": "Париж ва Москвага ҳужум таҳдиди",
            "grievance": "Тожикистонда диний кийим тақиқланиши ва меҳнат муҳожирлари ҳақида",
            "attack_claim": "Кобулдаги постга ҳужум учун жавобгарликни ўз зиммасига олиш",
        },
        "signature": "Ал-Азоим жамғармаси",
        "chatter": ["Канал тез орада янги ҳаволага кўчади.", "Илтимос, каналини дўстларингизга улашинг."],
    },
    "fa": {
        "code": "fa",
        "pub": "صدای خراسان",
        "magazine": "شماره جدید مجله «{pub}»، شماره {n}، {p} صفحه. موضوع اصلی: {topic}.",
        "video": "ویدیوی جدید، {m} دقیقه: {topic}.",
        "audio": "پیام صوتی جدید: {topic}.",
        "image": "پوستر جدید: {topic}.",
        "statement": "اعلامیه: {topic}.",
        "article": "مقاله جدید: {topic}.",
        "book": "کتاب جدید، {p} صفحه: {topic}.",
        "post": "{Topic}.",
        "topics": {
            "anti_taliban": "انتقاد از طالبان به عنوان مرتد و ملی‌گرا",
            "hijrah": "دعوت به هجرت و پیوستن",
            "external_threat": "تهدید حمله بر پاریس و مسکو",
            "grievance": "درباره ممنوعیت لباس دینی در تاجیکستان و کارگران مهاجر",
            "attack_claim": "قبول مسئولیت حمله بر پاسگاه در کابل",
        },
        "signature": "بنیاد العزائم",
        "chatter": ["کانال به زودی به لینک تازه منتقل می‌شود.", "لطفاً کانال را با دوستان خود شریک کنید."],
    },
    "ps": {
        "code": "ps",
        "pub": "خراسان غږ",
        "magazine": "د «{pub}» مجلې نوې ګڼه، {n} ګڼه، {p} مخونه. اصلي موضوع: {topic}.",
        "video": "نوې ویډیو، {m} دقیقې: {topic}.",
        "audio": "نوی غږیز پیغام: {topic}.",
        "image": "نوی پوستر: {topic}.",
        "statement": "اعلامیه: {topic}.",
        "article": "نوې لیکنه: {topic}.",
        "book": "نوی کتاب، {p} مخونه: {topic}.",
        "post": "{Topic}.",
        "topics": {
            "anti_taliban": "پر طالبانو د مرتدینو او ملتپالو په توګه نیوکه",
            "hijrah": "هجرت او یوځای کېدو ته بلنه",
            "external_threat": "پر پاریس او مسکو د برید ګواښ",
            "grievance": "په تاجکستان کې د دیني جامو پر بندیز او کډوالو کارګرانو په اړه",
            "attack_claim": "په کابل کې پر پوسته د برید مسؤلیت منل",
        },
        "signature": "د العزائم بنسټ",
        "chatter": ["چینل به ژر نوي لینک ته ولېږدول شي.", "مهرباني وکړئ چینل له خپلو ملګرو سره شریک کړئ."],
    },
    "ur": {
        "code": "ur",
        "pub": "ندائے خراسان",
        "magazine": "«{pub}» رسالے کا نیا شمارہ، نمبر {n}، {p} صفحات۔ مرکزی موضوع: {topic}۔",
        "video": "نئی ویڈیو، {m} منٹ: {topic}۔",
        "audio": "نیا آڈیو پیغام: {topic}۔",
        "image": "نیا پوسٹر: {topic}۔",
        "statement": "بیان: {topic}۔",
        "article": "نیا مضمون: {topic}۔",
        "book": "نئی کتاب، {p} صفحات: {topic}۔",
        "post": "{Topic}۔",
        "topics": {
            "anti_taliban": "طالبان پر مرتد اور قوم پرست ہونے کی تنقید",
            "hijrah": "ہجرت اور شمولیت کی دعوت",
            "external_threat": "پیرس اور ماسکو پر حملوں کی دھمکی",
            "grievance": "تاجکستان میں مذہبی لباس پر پابندی اور مزدور تارکین وطن کے بارے میں",
            "attack_claim": "کابل میں چوکی پر حملے کی ذمہ داری قبول کرنا",
        },
        "signature": "العزائم فاؤنڈیشن",
        "chatter": ["چینل جلد نئے لنک پر منتقل ہو جائے گا۔", "براہ کرم چینل کو اپنے دوستوں کے ساتھ شیئر کریں۔"],
    },
    "ar": {
        "code": "ar",
        "pub": "صوت خراسان",
        "magazine": "عدد جديد من مجلة «{pub}»، العدد {n}، {p} صفحة. الموضوع الرئيسي: {topic}.",
        "video": "إصدار مرئي جديد، {m} دقيقة: {topic}.",
        "audio": "كلمة صوتية جديدة: {topic}.",
        "image": "ملصق جديد: {topic}.",
        "statement": "بيان: {topic}.",
        "article": "مقال جديد: {topic}.",
        "book": "كتاب جديد، {p} صفحة: {topic}.",
        "post": "{Topic}.",
        "topics": {
            "anti_taliban": "انتقاد طالبان بوصفهم مرتدين وقوميين",
            "hijrah": "دعوة إلى الهجرة والانضمام",
            "external_threat": "تهديد بشن هجمات على باريس وموسكو",
            "grievance": "حول حظر اللباس الديني في طاجيكستان والعمال المهاجرين",
            "attack_claim": "تبني هجوم على حاجز في كابل",
        },
        "signature": "مؤسسة العزائم",
        "chatter": ["ستنتقل القناة قريبا إلى رابط جديد.", "يرجى مشاركة القناة مع أصدقائكم."],
    },
}

# Captions that name the release's language ("in Tajik"): (variant of the caption, named language, text).
MENTIONS = [
    ("en", "tg", "New video in Tajik, {m} minutes: {topic}."),
    ("en", "uz", "New audio message in Uzbek: {topic}."),
    ("en", "ps", "New Pashto-language poster: {topic}."),
    ("ru", "tg", "Новое видео на таджикском языке: {topic}."),
    ("fa", "uz", "ویدیوی جدید به زبان ازبکی: {topic}."),
    ("en", "ru", "New statement in Russian: {topic}."),
]
# Two-language captions: (first variant, second variant, medium).
BILINGUAL = [("tg", "ru", "video"), ("uz-Latn", "ru", "audio"), ("ar", "ps", "statement"), ("fa", "ps", "image"),
             ("uz-Cyrl", "tg", "video"), ("en", "ur", "magazine"), ("ar", "fa", "audio"), ("ru", "uz-Cyrl", "statement")]
# Releases an IS outlet other than Al-Azaim signs in the relay channel: (outlet signature, variant, medium).
OTHER_OUTLETS = [
    ("Amaq News Agency", "en", "statement"), ("وكالة أعماق", "ar", "statement"), ("Агентство «Амак»", "ru", "video"),
    ("وكالة أعماق", "ar", "video"), ("Amaq News Agency", "en", "image"), ("وكالة أعماق", "ps", "statement"),
    ("Amaq News Agency", "ur", "statement"), ("Агентство «Амак»", "tg", "image"), ("وكالة أعماق", "fa", "video"),
    ("Amaq News Agency", "uz-Latn", "statement"), ("Al-Battar Media", "en", "video"), ("مؤسسة البتار", "ar", "image"),
    ("Al-Battar Media", "uz-Cyrl", "audio"), ("Аль-Баттар", "ru", "book"), ("Al-Battar Media", "ps", "video"),
    ("مؤسسة البتار", "fa", "article"),
]
OUTLET_OF = {"Amaq News Agency": "Amaq", "وكالة أعماق": "Amaq", "Агентство «Амак»": "Amaq", "Al-Battar Media": "Al-Battar",
             "مؤسسة البتار": "Al-Battar", "Аль-Баттар": "Al-Battar"}
UNATTRIBUTED = ["View of the valley this morning.", "Вид на горы сегодня утром.", "Kecha yog‘ingarchilik bo‘ldi.",
                "منظره کوه‌ها امروز صبح.", "", "A photo from the market."]
EXTRA_CHATTER = ["Thanks to everyone who reads the channel.", "Спасибо всем читателям канала.",
                 "The archive is being reorganised this week.", "Who has the old list of links?",
                 "Мы вернулись после перерыва.", "Barchaga rahmat.", "Ҳамаи хонандагонро ташаккур.",
                 "د ټولو لوستونکو مننه.", "از همه خوانندگان سپاس.", "شکریہ تمام قارئین کا۔", "شكرا لجميع القراء."]


class Export:
    def __init__(self, name: str, channel_id: int, start: datetime) -> None:
        self.name, self.channel_id, self.when = name, channel_id, start
        self.messages: list = []
        self.gold: list[dict] = []
        self.next_id = 1

    def add(self, message: dict, gold: dict | None) -> int:
        message_id = self.next_id
        self.next_id += 1
        self.when += timedelta(hours=9, minutes=message_id * 7 % 60)
        full = {"id": message_id, "type": "message", "date": self.when.strftime("%Y-%m-%dT%H:%M:%S"),
                "date_unixtime": str(int(self.when.timestamp())), "from": self.name, "from_id": f"channel{self.channel_id}"}
        full.update(message)
        self.messages.append(full)
        if gold is not None:
            self.gold.append({**gold, "channel": self.name, "message_id": message_id})
        return message_id

    def write(self, folder: str, *, raw_lines: list[str] = ()) -> None:
        body = ",\n".join(["  " + json.dumps(m, ensure_ascii=False) for m in self.messages] + ["  " + r for r in raw_lines])
        head = json.dumps({"name": self.name, "type": "public_channel", "id": self.channel_id}, ensure_ascii=False)[:-1]
        text = head + ', "messages": [\n' + body + "\n ]\n}\n"
        path = HERE / folder / "result.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8").replace(b"@@BAD_BYTES@@", b"\xff\xfe"))


def caption(variant: str, medium: str, theme: str | None, i: int) -> str:
    v = VARIANTS[variant]
    topic = v["topics"][theme] if theme else ""
    template = v[medium]
    if theme is None:
        template = template.split(". ")[0].rstrip(".") + "." if medium == "magazine" else template
    text = template.format(pub=v["pub"], n=20 + i, p=30 + 2 * i, m=5 + i % 20, topic=topic, Topic=topic[:1].upper() + topic[1:])
    return text.replace("۔.", "۔")


def media_for(medium: str, i: int, stem: str) -> dict:
    minutes = 5 + i % 20
    if medium == "video":
        return {"file": NOT_INCLUDED, "file_name": f"{stem}.mp4", "file_size": 10_000_000 + 7919 * i, "media_type": "video_file",
                "mime_type": "video/mp4", "duration_seconds": minutes * 60 + 13, "width": 1280, "height": 720}
    if medium == "audio":
        kind = "voice_message" if i % 3 == 0 else "audio_file"
        return {"file": NOT_INCLUDED, "file_name": f"{stem}.mp3" if kind == "audio_file" else None, "file_size": 2_000_000 + 104_729 * i,
                "media_type": kind, "mime_type": "audio/mpeg" if kind == "audio_file" else "audio/ogg", "duration_seconds": minutes * 60 + 40}
    if medium == "image":
        return {"photo": NOT_INCLUDED, "photo_file_size": 150_000 + 1009 * i, "width": 1080, "height": 1350}
    if medium in ("magazine", "book", "article"):
        return {"file": NOT_INCLUDED, "file_name": f"{stem}.pdf", "file_size": 3_000_000 + 65_537 * i, "mime_type": "application/pdf"}
    return {}  # a statement is a text post


def release_gold(medium: str, languages: list[str], outlet: str | None, themes: list[str], group: str, paragraphs: list[list[str]]) -> dict:
    return {"release": True, "group": group, "medium": medium, "languages": sorted(set(languages)), "outlet": outlet,
            "themes": sorted(set(themes)), "paragraphs": paragraphs}


def main() -> None:
    outlet = Export("Al-Azaim Foundation", 1001110001, datetime(2024, 1, 3, 6, 0))
    relay = Export("Northern Relay", 1002220002, datetime(2024, 1, 20, 7, 0))
    originals: list[tuple[int, dict, dict]] = []  # (message id, message body, gold) of outlet releases
    unsigned: set[int] = set()  # indexes of originals whose text names no outlet (only the channel does)
    i = 0
    for variant, v in VARIANTS.items():
        for medium in MEDIA:
            theme = THEMES[i % len(THEMES)] if not (medium == "magazine" and i % 2) else None
            text = caption(variant, medium, theme, i)
            lines = [text, v["signature"]] if i % 4 != 3 else [text]
            body = {"text": "\n".join(lines), **{k: val for k, val in media_for(medium, i, f"azaim_{variant}_{medium}_{i}").items() if val is not None}}
            gold = release_gold(medium, [v["code"]], "Al-Azaim", [theme] if theme else [], f"outlet/{outlet.next_id}", [[text, v["code"]]])
            message_id = outlet.add(body, gold)
            originals.append((message_id, body, gold))
            if len(lines) == 1 and v["pub"] not in text:
                unsigned.add(len(originals) - 1)  # nothing in the post names the outlet
            i += 1
        # a signed text post that names no medium: medium 'post'
        theme = THEMES[i % len(THEMES)]
        text = caption(variant, "post", theme, i)
        body = {"text": f"{text}\n{v['signature']}"}
        message_id = outlet.add(body, release_gold("post", [v["code"]], "Al-Azaim", [theme], f"outlet/{outlet.next_id}", [[text, v["code"]]]))
        originals.append((message_id, body, outlet.gold[-1]))
        i += 1
        for line in v["chatter"]:
            outlet.add({"text": line}, {"release": False, "paragraphs": [[line, v["code"]]]})
    for variant, named, template in MENTIONS:
        v = VARIANTS[variant]
        theme = THEMES[i % len(THEMES)]
        text = template.format(m=5 + i % 20, topic=v["topics"][theme])
        medium = "video" if "video" in template or "видео" in template or "ویدیو" in template else (
            "audio" if "audio" in template else "image" if "poster" in template else "statement")
        body = {"text": f"{text}\n{v['signature']}", **{k: val for k, val in media_for(medium, i, f"azaim_mention_{i}").items() if val is not None}}
        gold = release_gold(medium, [v["code"], named], "Al-Azaim", [theme], f"outlet/{outlet.next_id}", [[text, v["code"]]])
        originals.append((outlet.add(body, gold), body, gold))
        i += 1
    for first, second, medium in BILINGUAL:
        theme = THEMES[i % len(THEMES)]
        a, b = caption(first, medium, theme, i), caption(second, medium, theme, i)
        body = {"text": f"{a}\n\n{b}\n{VARIANTS[first]['signature']}",
                **{k: val for k, val in media_for(medium, i, f"azaim_bilingual_{i}").items() if val is not None}}
        codes = [VARIANTS[first]["code"], VARIANTS[second]["code"]]
        gold = release_gold(medium, codes, "Al-Azaim", [theme], f"outlet/{outlet.next_id}", [[a, codes[0]], [b, codes[1]]])
        originals.append((outlet.add(body, gold), body, gold))
        i += 1
    for n in range(4):  # media without a caption: a release in the outlet's own channel, language unknown
        medium = ("image", "video", "image", "audio")[n]
        body = {"text": "", **{k: val for k, val in media_for(medium, i, f"azaim_bare_{i}").items() if val is not None}}
        gold = release_gold(medium, [], "Al-Azaim", [], f"outlet/{outlet.next_id}", [])
        originals.append((outlet.add(body, gold), body, gold))
        unsigned.add(len(originals) - 1)
        i += 1
    # Release text in entity form, an unknown field and a duplicated "text" key (the fullest wins).
    text = caption("en", "video", "hijrah", i)
    body = {"text": [{"type": "bold", "text": "New video"}, text[len("New video"):], "\n", {"type": "hashtag", "text": "#AlAzaim"}],
            "reactions": [{"type": "emoji", "count": 3}], "inline_bot_buttons": [[{"text": "open"}]],
            **media_for("video", i, f"azaim_entities_{i}")}
    gold = release_gold("video", ["en"], "Al-Azaim", ["hijrah"], f"outlet/{outlet.next_id}", [[text, "en"]])
    originals.append((outlet.add(body, gold), body, gold))
    i += 1
    for line in EXTRA_CHATTER[:6]:
        outlet.add({"text": line, "edited": outlet.when.strftime("%Y-%m-%dT%H:%M:%S")}, {"release": False, "paragraphs": []})
    outlet.add({"type": "service", "action": "pin_message", "text": ""}, None)
    outlet.add({"text": "Damaged @@BAD_BYTES@@ caption", **media_for("video", 99, "azaim_broken")}, None)  # invalid UTF-8: reported
    outlet.add({"date": "not a date", "text": "A message whose date is broken."}, None)  # bad date: reported
    # A message whose "text" key is repeated, the second empty (the reader keeps the fullest).
    text = caption("en", "statement", "external_threat", i)
    duplicate = json.dumps({"id": outlet.next_id, "type": "message", "date": "2024-03-30T10:00:00"}, ensure_ascii=False)[:-1]
    duplicate += ", " + json.dumps({"text": f"{text}\nAl-Azaim Foundation"}, ensure_ascii=False)[1:-1] + ', "text": ""}'
    outlet.gold.append({"channel": outlet.name, "message_id": outlet.next_id,
                        **release_gold("statement", ["en"], "Al-Azaim", ["external_threat"], f"outlet/{outlet.next_id}", [[text, "en"]])})
    outlet.write("outlet_channel", raw_lines=['"a message that is a string, not an object"', duplicate])

    # The relay channel: forwards (Telegram keeps the file and the caption), copies (same file,
    # caption with a hashtag and a link added), its own releases signed by other outlets, media
    # nobody signed, and chatter.
    for n, (_message_id, body, gold) in enumerate(originals):
        if n % 3 == 0:
            relay.add({**body, "forwarded_from": "Al-Azaim Foundation"}, {**gold})
        elif n % 7 == 1:
            text = body["text"] if isinstance(body["text"], str) else ""
            copy = {**body, "text": f"#repost {text}\nhttps://mirror.example.org/{n}" if text else ""}
            # An unsigned copy of an unsigned release is the relay channel's release of an unknown
            # outlet until merged with its original (post_outlet: what the post alone attributes).
            relay.add(copy, {**gold, "post_outlet": None} if n in unsigned else {**gold})
    for n, (signature, variant, medium) in enumerate(OTHER_OUTLETS):
        v = VARIANTS[variant]
        theme = THEMES[(n + 2) % len(THEMES)]
        text = caption(variant, medium, theme, i)
        body = {"text": f"{text}\n{signature}", **{k: val for k, val in media_for(medium, i, f"relay_{medium}_{i}").items() if val is not None}}
        relay.add(body, release_gold(medium, [v["code"]], OUTLET_OF[signature], [theme], f"relay/{relay.next_id}", [[text, v["code"]]]))
        i += 1
    for n, line in enumerate(UNATTRIBUTED):
        medium = "image" if n % 2 == 0 else "video"
        # Media nobody signed: a file without a caption is the channel's release (outlet unknown);
        # a caption that is the channel's own talk makes the post chatter.
        gold = release_gold(medium, [], None, [], f"relay/{relay.next_id}", []) if not line else {"release": False, "paragraphs": []}
        relay.add({"text": line, **{k: val for k, val in media_for(medium, i, f"relay_unsigned_{i}").items() if val is not None}}, gold)
        i += 1
    for v in VARIANTS.values():
        for line in v["chatter"][:2]:
            relay.add({"text": line}, {"release": False, "paragraphs": [[line, v["code"]]]})
    for line in EXTRA_CHATTER:
        relay.add({"text": line}, {"release": False, "paragraphs": []})
    relay.add({"text": "A caption with a broken date", "date": "2024-13-45T99:00:00"}, None)
    relay.add({"text": "Bytes lost @@BAD_BYTES@@ in transit", "photo": NOT_INCLUDED}, None)
    relay.write("relay_channel", raw_lines=["17"])

    with (HERE / "gold.jsonl").open("w", encoding="utf-8") as handle:
        for line in outlet.gold + relay.gold:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"{len(outlet.messages) + 2} + {len(relay.messages) + 1} messages; {len(outlet.gold) + len(relay.gold)} gold lines")


if __name__ == "__main__":
    main()
