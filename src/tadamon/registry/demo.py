"""Demo data of the registry: about 400 SSE organizations of Fès-Meknès and Marrakech-Safi.

Cooperatives (mostly), associations, a few mutuals and social enterprises, spread over every
province of the two regions, each with what the place is known for (argan oil in Essaouira and
Chichaoua, pottery in Safi, zellige and leather in Fès, carpets in Al Haouz, cherries in Sefrou,
capers in Safi and Youssoufia, ghassoul in Missour…), with Arabic and French names and
descriptions, member figures (about a third women), and 1 to 4 products each with pictures drawn
by :mod:`tadamon.registry.demo_pictures`.

Everything is drawn from ``random.Random`` seeded per organization, so the data is the same on
every run, and loading is idempotent (an organization is identified by its legal form and
registration number). The same vocabulary feeds ``tadamon generate-registry``, which builds
national-scale synthetic registries for benchmarks.
"""

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core.models import Province

from . import demo_pictures
from .models import LegalForm, Organization, Product, ProductPhoto, ProductUnit, Representation, Sector
from .search import index_terms

SEED = 2025
DEFAULT_ORGANIZATIONS = 400
REGIONS = ("03", "07")
DEMO_REPRESENTATIVE = "cooperative@tadamon.ma"
STAFF_BY_REGION = {"03": "fes@tadamon.ma", "07": "marrakech@tadamon.ma"}
LAST_DAY = date(2025, 6, 30)

# ---- places -----------------------------------------------------------------------------------

#: Communes of each province (Arabic, French) and how many organizations a province holds
#: relative to the others.
COMMUNES = {
    "03.061": (5, [("مكناس", "Meknès"), ("تولال", "Toulal"), ("ويسلان", "Ouislane"),
                   ("مولاي إدريس زرهون", "Moulay Driss Zerhoun"), ("آيت ولال", "Aït Ouallal"),
                   ("الدخيسة", "Dkhissa"), ("مهاية", "Mhaya")]),
    "03.131": (2, [("ميسور", "Missour"), ("أوطاط الحاج", "Outat El Haj"), ("بولمان", "Boulemane"),
                   ("إيموزار مرموشة", "Imouzzer Marmoucha"), ("إنجيل", "Enjil")]),
    "03.171": (2, [("الحاجب", "El Hajeb"), ("أكوراي", "Agourai"), ("آيت يعزم", "Aït Yaazem"),
                   ("سبع عيون", "Sebaa Aioun"), ("عين تاوجطات", "Aïn Taoujdate")]),
    "03.231": (6, [("فاس", "Fès"), ("زواغة", "Zouagha"), ("سايس", "Saïss"), ("فاس الجديد", "Fès Jdid"),
                   ("المرينيين", "Mérinides")]),
    "03.271": (2, [("إفران", "Ifrane"), ("أزرو", "Azrou"), ("تيمحضيت", "Timahdite"), ("عين اللوح", "Aïn Leuh"),
                   ("تيكريكرة", "Tigrigra")]),
    "03.451": (3, [("صفرو", "Sefrou"), ("البهاليل", "Bhalil"), ("إيموزار كندر", "Imouzzer Kandar"),
                   ("المنزل", "El Menzel"), ("رباط الخير", "Ribat El Kheir")]),
    "03.531": (3, [("تاونات", "Taounate"), ("غفساي", "Ghafsai"), ("قرية با محمد", "Karia Ba Mohamed"),
                   ("تيسة", "Tissa"), ("طهر السوق", "Thar Es-Souk")]),
    "03.561": (3, [("تازة", "Taza"), ("تاهلة", "Tahla"), ("واد أمليل", "Oued Amlil"), ("أكنول", "Aknoul"),
                   ("تايناست", "Tainaste")]),
    "03.591": (2, [("مولاي يعقوب", "Moulay Yacoub"), ("عين الشقف", "Aïn Chkef"), ("سبت الوداية", "Sebt Loudaya"),
                   ("عين قنصرة", "Aïn Kansara")]),
    "07.041": (4, [("تحناوت", "Tahannaout"), ("أمزميز", "Amizmiz"), ("أسني", "Asni"), ("أوريكة", "Ourika"),
                   ("آيت أورير", "Aït Ourir"), ("تامصلوحت", "Tameslouht"), ("ويركان", "Ouirgane")]),
    "07.161": (3, [("شيشاوة", "Chichaoua"), ("إمنتانوت", "Imintanoute"), ("مجاط", "Mejjat"),
                   ("سيدي المختار", "Sidi Mokhtar")]),
    "07.191": (3, [("قلعة السراغنة", "El Kelâa des Sraghna"), ("تملالت", "Tamellalt"), ("سيدي رحال", "Sidi Rahhal"),
                   ("العطاوية", "Laattaouia")]),
    "07.211": (4, [("الصويرة", "Essaouira"), ("تمنار", "Tamanar"), ("حد الدرا", "Had Draa"), ("سميمو", "Smimou"),
                   ("أوناغة", "Ounagha"), ("تافتاشت", "Tafetachte")]),
    "07.351": (6, [("مراكش", "Marrakech"), ("تسلطانت", "Tassoultante"), ("السعادة", "Saâda"), ("حربيل", "Harbil"),
                   ("الوداية", "Loudaya")]),
    "07.427": (2, [("ابن جرير", "Ben Guerir"), ("سيدي بوعثمان", "Sidi Bou Othmane"),
                   ("صخور الرحامنة", "Skhour Rehamna")]),
    "07.431": (3, [("آسفي", "Safi"), ("سبت جزولة", "Sebt Gzoula"), ("جمعة سحيم", "Jemâa Shaim"),
                   ("بوكدرة", "Bouguedra")]),
    "07.585": (2, [("اليوسفية", "Youssoufia"), ("الشماعية", "Chemaia"), ("إيغود", "Ighoud")]),
}

# ---- activities and their products -------------------------------------------------------------


@dataclass(frozen=True)
class ProductTemplate:
    name_ar: str
    name_fr: str
    description_ar: str
    description_fr: str
    unit: str
    price: tuple | None  # (lowest, highest) in MAD, or None for "price on request"
    picture: str
    category: str = ""  # a sector key when it differs from the organization's sector
    origin_label: str = ""


@dataclass(frozen=True)
class Activity:
    key: str
    sector: str
    of_ar: str  # "لإنتاج زيت الأركان", as in "تعاونية تيفاوين لإنتاج زيت الأركان"
    of_fr: str  # "d'huile d'argan", as in "Coopérative Tifaouine d'huile d'argan"
    label_ar: str
    label_fr: str
    sentences: tuple  # ((arabic, french), ...)
    products: tuple
    weight: float = 1.0  # everywhere
    places: dict = field(default_factory=dict)  # province code → extra weight
    women: float = 0.2  # how often such an organization is led by women


P = ProductTemplate
KG, L, PIECE, G, M2, BOX, PACK, ML, SERVICE = (ProductUnit.KG, ProductUnit.LITRE, ProductUnit.PIECE, ProductUnit.GRAM,
                                               ProductUnit.SQUARE_METRE, ProductUnit.BOX, ProductUnit.PACK,
                                               ProductUnit.ML, ProductUnit.SERVICE)

ACTIVITIES = [
    Activity("argan", "cosmetics", "لإنتاج زيت الأركان", "d'huile d'argan", "إنتاج زيت الأركان وتسويقه",
             "Production et vente d'huile d'argan", (
                 ("تنتج زيت الأركان الغذائي والتجميلي بطريقة تقليدية، من ثمار غابة الأركان المحلية.",
                  "Elle produit de l'huile d'argan alimentaire et cosmétique, extraite de façon traditionnelle "
                  "à partir des fruits de l'arganeraie locale."),
                 ("تكسر النساء اللوز يدويا ثم يعصر الزيت على البارد ويعبأ في قنينات زجاجية.",
                  "Les amandons sont concassés à la main par les femmes, puis l'huile est pressée à froid et mise "
                  "en bouteilles de verre."),
             ), (
                 P("زيت أركان غذائي", "Huile d'argan alimentaire", "زيت محمص معصور على البارد، بطعم اللوز.",
                   "Huile torréfiée pressée à froid, au goût de noisette.", L, (300, 420), "argan_oil",
                   category="terroir", origin_label="IGP Argane"),
                 P("زيت أركان تجميلي", "Huile d'argan cosmétique", "زيت غير محمص للبشرة والشعر، قنينة 100 مل.",
                   "Huile non torréfiée pour la peau et les cheveux, flacon de 100 ml.", PIECE, (80, 140),
                   "argan_oil"),
                 P("أملو باللوز وزيت الأركان", "Amlou aux amandes et à l'argan",
                   "عجينة تقليدية من اللوز المحمص وزيت الأركان والعسل.",
                   "Pâte traditionnelle d'amandes grillées, d'huile d'argan et de miel.", KG, (150, 220), "amlou",
                   category="terroir"),
                 P("صابون الأركان", "Savon à l'argan", "صابون طبيعي مصنوع بزيت الأركان.",
                   "Savon naturel fabriqué à l'huile d'argan.", PIECE, (25, 45), "soap"),
             ), weight=0, places={"07.211": 9, "07.161": 6, "07.431": 1}, women=0.8),
    Activity("honey", "terroir", "لتربية النحل وإنتاج العسل", "d'apiculture", "تربية النحل وإنتاج العسل",
             "Apiculture et production de miel", (
                 ("تربي النحل في خلايا تقليدية وعصرية وتنتج عسلا حرا من أزهار المنطقة.",
                  "Elle élève des abeilles en ruches traditionnelles et modernes et produit un miel pur des fleurs "
                  "de la région."),
                 ("ينقل النحالون الخلايا حسب مواسم الإزهار، من الزعتر إلى الخروب والليمون.",
                  "Les apiculteurs déplacent les ruches au fil des floraisons : thym, caroubier, oranger."),
             ), (
                 P("عسل الزعتر", "Miel de thym", "عسل جبلي داكن بنكهة قوية.", "Miel de montagne foncé, au goût marqué.",
                   KG, (250, 400), "honey"),
                 P("عسل الدغموس", "Miel d'euphorbe", "عسل نادر معروف بمذاقه الحار.", "Miel rare au goût poivré.",
                   KG, (300, 500), "honey"),
                 P("عسل الخروب", "Miel de caroube", "عسل خريفي غني.", "Miel d'automne riche et dense.", KG, (150, 260),
                   "honey"),
                 P("عسل زهر الليمون", "Miel de fleur d'oranger", "عسل فاتح بعطر زهر الليمون.",
                   "Miel clair parfumé à la fleur d'oranger.", KG, (120, 200), "honey"),
                 P("حبوب اللقاح", "Pollen d'abeille", "حبوب لقاح مجففة، علبة 250 غ.", "Pollen séché, pot de 250 g.",
                   BOX, (60, 110), "amlou"),
             ), weight=3, places={"03.451": 3, "03.271": 3, "03.531": 2, "03.561": 3, "07.041": 2, "03.131": 2},
             women=0.15),
    Activity("couscous", "terroir", "لإنتاج الكسكس", "de couscous", "فتل الكسكس والعجائن التقليدية",
             "Couscous roulé à la main et pâtes traditionnelles", (
                 ("تفتل النساء الكسكس يدويا من القمح والشعير المحلي ويجففنه في الظل.",
                  "Les femmes roulent le couscous à la main, à partir de blé et d'orge locaux, et le sèchent à "
                  "l'ombre."),
                 ("تنتج أنواعا من الكسكس والبركوكش والمحمصة حسب وصفات الجدات.",
                  "Elle produit couscous, berkoukech et mhamsa selon les recettes des grands-mères."),
             ), (
                 P("كسكس بالشعير", "Couscous d'orge", "كسكس بلدي مفتول باليد.", "Couscous beldi roulé à la main.",
                   KG, (25, 40), "couscous"),
                 P("كسكس القمح الصلب", "Couscous de blé dur", "حبات متوسطة، مثالية لكسكس الجمعة.",
                   "Grain moyen, idéal pour le couscous du vendredi.", KG, (20, 35), "couscous"),
                 P("البركوكش", "Berkoukech", "حبات كبيرة تطهى في المرق.", "Gros grains cuits dans un bouillon.", KG,
                   (30, 45), "couscous"),
                 P("كسكس الذرة", "Couscous de maïs", "كسكس خفيف من دقيق الذرة.", "Couscous léger de farine de maïs.",
                   KG, (25, 40), "couscous"),
             ), weight=3, women=0.75),
    Activity("olive", "terroir", "لإنتاج زيت الزيتون", "d'huile d'olive", "عصر الزيتون وتصبيره",
             "Trituration et conserve d'olives", (
                 ("تجمع زيتون أعضائها وتعصره في معصرة حديثة مباشرة بعد الجني.",
                  "Elle réunit les olives de ses membres et les triture dans une unité moderne juste après la "
                  "récolte."),
                 ("تنتج زيت زيتون بكر ممتاز وزيتونا مصبرا بالطريقة البلدية.",
                  "Elle produit une huile d'olive vierge extra et des olives en conserve à la manière beldi."),
             ), (
                 P("زيت الزيتون البكر الممتاز", "Huile d'olive vierge extra", "عصرة أولى على البارد.",
                   "Première pression à froid.", L, (70, 110), "olive_oil"),
                 P("زيتون أخضر مصبر", "Olives vertes en conserve", "زيتون مكسر بالحامض والزعتر.",
                   "Olives cassées au citron et au thym.", KG, (25, 45), "olives"),
                 P("زيتون أسود مرقد", "Olives noires confites", "زيتون أسود مملح ومجفف.",
                   "Olives noires salées et séchées.", KG, (30, 50), "olives"),
             ), weight=2, places={"03.061": 4, "03.531": 4, "03.591": 3, "03.171": 3, "07.191": 4, "07.041": 2,
                                  "07.161": 2, "07.211": 2}, women=0.1),
    Activity("saffron", "terroir", "لإنتاج الزعفران", "de safran", "زراعة الزعفران وتجفيفه",
             "Culture et séchage du safran", (
                 ("تقطف النساء أزهار الزعفران فجرا في الخريف وتستخرج المياسم وتجففها.",
                  "À l'automne, les femmes cueillent les fleurs à l'aube, en retirent les stigmates et les sèchent."),
             ), (
                 P("زعفران حر", "Safran pur", "مياسم مجففة، علبة 1 غ.", "Stigmates séchés, boîte de 1 g.", G,
                   (35, 60), "saffron"),
                 P("زعفران حر علبة 5 غ", "Safran pur, boîte de 5 g", "للمطاعم والمحلات.",
                   "Pour les restaurants et les épiceries fines.", BOX, (170, 280), "saffron"),
             ), weight=0, places={"07.041": 1.5, "07.161": 0.5}, women=0.7),
    Activity("dates", "terroir", "لتثمين التمور", "de valorisation des dattes", "تثمين التمور ومشتقاتها",
             "Valorisation des dattes et de leurs dérivés", (
                 ("تجمع تمور واحات النخيل وتفرزها وتعبئها.",
                  "Elle collecte, trie et conditionne les dattes des palmeraies."),
             ), (
                 P("تمر المجهول", "Dattes Mejhoul", "تمر كبير وطري.", "Grosses dattes moelleuses.", KG, (80, 150),
                   "dates"),
                 P("عجينة التمر", "Pâte de dattes", "للحلويات والطبخ.", "Pour la pâtisserie et la cuisine.", KG,
                   (40, 60), "dates"),
             ), weight=0, places={"07.351": 2, "07.191": 1, "07.427": 1}, women=0.3),
    Activity("plants", "terroir", "للنباتات العطرية والطبية", "de plantes aromatiques et médicinales",
             "جمع النباتات العطرية والطبية وتقطيرها", "Cueillette et distillation de plantes aromatiques", (
                 ("تجمع الزعتر والإكليل والخزامى من الجبال بطريقة مستدامة وتقطر زيوتها.",
                  "Elle cueille thym, romarin et lavande en montagne de façon durable et en distille les huiles."),
             ), (
                 P("زعتر بري مجفف", "Thym sauvage séché", "كيس 100 غ.", "Sachet de 100 g.", PACK, (20, 35), "herbs"),
                 P("إكليل الجبل المجفف", "Romarin séché", "كيس 100 غ.", "Sachet de 100 g.", PACK, (15, 30), "herbs"),
                 P("زيت الخزامى العطري", "Huile essentielle de lavande", "قنينة 10 مل.", "Flacon de 10 ml.", PIECE,
                   (60, 120), "essential_oil", category="cosmetics"),
                 P("ماء الورد", "Eau de rose", "ماء ورد مقطر، قنينة 250 مل.", "Eau de rose distillée, 250 ml.", PIECE,
                   (30, 50), "rose_water", category="cosmetics"),
             ), weight=0.8, places={"03.271": 3, "03.131": 2, "03.561": 2, "07.041": 3, "07.211": 2, "03.451": 1},
             women=0.5),
    Activity("natural", "cosmetics", "للمنتوجات الطبيعية", "de produits naturels",
             "صناعة مواد التجميل الطبيعية", "Cosmétiques naturels", (
                 ("تحضر الغاسول والصابون البلدي وماء الورد بوصفات تقليدية.",
                  "Elle prépare le ghassoul, le savon noir et l'eau de rose selon des recettes traditionnelles."),
             ), (
                 P("غاسول طبيعي", "Ghassoul naturel", "طين الغاسول المعطر بالأعشاب، علبة 500 غ.",
                   "Argile ghassoul parfumée aux herbes, boîte de 500 g.", BOX, (30, 60), "soap"),
                 P("صابون بلدي", "Savon noir beldi", "صابون أسود بزيت الزيتون.", "Savon noir à l'huile d'olive.",
                   PIECE, (20, 40), "soap"),
                 P("ماء الورد", "Eau de rose", "قنينة 250 مل.", "Flacon de 250 ml.", PIECE, (30, 50), "rose_water"),
             ), weight=0.4, places={"03.131": 4, "03.231": 1, "07.351": 1}, women=0.7),
    Activity("pottery", "handicrafts", "للفخار والخزف", "de poterie et céramique", "صناعة الفخار والخزف",
             "Poterie et céramique", (
                 ("يشكل الحرفيون الطين المحلي ويطهونه في أفران تقليدية ثم يزخرفونه يدويا.",
                  "Les artisans façonnent l'argile locale, la cuisent au four traditionnel et la décorent à la "
                  "main."),
             ), (
                 P("طاجين فخاري", "Tajine en terre cuite", "طاجين للطهي على الفحم.", "Tajine de cuisson au charbon.",
                   PIECE, (60, 180), "tajine"),
                 P("آنية خزفية مزخرفة", "Vase en céramique décoré", "مزخرف يدويا بالأزرق.",
                   "Décoré à la main en bleu.", PIECE, (120, 350), "vase"),
                 P("طاجين مزخرف للتقديم", "Tajine de service décoré", "للتقديم والزينة.",
                   "Pour le service et la décoration.", PIECE, (150, 400), "tajine"),
             ), weight=0.4, places={"07.431": 9, "03.231": 3, "07.351": 2, "03.561": 1}, women=0.1),
    Activity("leather", "handicrafts", "للصناعة الجلدية", "de maroquinerie", "دباغة الجلد وصناعة المصنوعات الجلدية",
             "Tannage et maroquinerie", (
                 ("تشتغل بجلد مدبوغ بالطرق التقليدية لصنع البلغة والحقائب والمحافظ.",
                  "Elle travaille un cuir tanné à l'ancienne pour fabriquer babouches, sacs et pochettes."),
             ), (
                 P("بلغة جلدية", "Babouches en cuir", "مخيطة باليد.", "Cousues main.", PIECE, (120, 250), "babouches"),
                 P("حقيبة جلدية", "Sac en cuir", "حقيبة يد من جلد الماعز.", "Sac à main en cuir de chèvre.", PIECE,
                   (300, 800), "bag"),
                 P("شربيل مطرز", "Cherbil brodé", "بلغة نسائية مطرزة بالخيط الذهبي.",
                   "Babouches de femme brodées au fil d'or.", PIECE, (180, 350), "babouches"),
             ), weight=0.2, places={"03.231": 6, "07.351": 5, "03.061": 2}, women=0.15),
    Activity("carpets", "handicrafts", "لنسج الزرابي", "de tissage de tapis", "نسج الزرابي والأغطية الصوفية",
             "Tissage de tapis et couvertures en laine", (
                 ("تنسج النساء الزرابي الأمازيغية من الصوف المغزول يدويا والمصبوغ بألوان طبيعية.",
                  "Les femmes tissent des tapis amazighs en laine filée à la main et teinte avec des colorants "
                  "naturels."),
                 ("ترث الناسجات رموز الزربية عن أمهاتهن وتحافظ التعاونية على هذا التراث.",
                  "Les tisserandes héritent des motifs de leurs mères ; la coopérative préserve ce patrimoine."),
             ), (
                 P("زربية أمازيغية منسوجة يدويا", "Tapis amazigh tissé main", "صوف طبيعي، السعر للمتر المربع.",
                   "Laine naturelle, prix au mètre carré.", M2, (800, 1800), "carpet"),
                 P("حنبل", "Hanbel", "غطاء منسوج مسطح.", "Tissage plat.", PIECE, (600, 1500), "carpet"),
                 P("زربية كبيرة حسب الطلب", "Grand tapis sur commande", "تنسج حسب المقاس والألوان المطلوبة.",
                   "Tissé aux dimensions et couleurs demandées.", PIECE, None, "carpet"),
             ), weight=0.8, places={"07.041": 4, "07.161": 4, "03.131": 3, "03.271": 3, "03.561": 2, "07.427": 1},
             women=0.85),
    Activity("caftan", "textile", "للخياطة التقليدية والطرز", "de caftan et broderie", "الخياطة التقليدية والطرز",
             "Couture traditionnelle et broderie", (
                 ("تخيط القفطان والجلابة وتطرزها بالطرز الفاسي والرباطي والمعلم.",
                  "Elle coud caftans et djellabas et les brode au point de Fès, de Rabat et au mâallem."),
                 ("تكون الشابات في حرف الخياطة التقليدية والسفيفة والعقاد.",
                  "Elle forme les jeunes femmes à la couture traditionnelle, à la sfifa et aux âakad."),
             ), (
                 P("قفطان مطرز", "Caftan brodé", "قفطان بالسفيفة والعقاد، حسب المقاس.",
                   "Caftan orné de sfifa et d'âakad, sur mesure.", PIECE, None, "caftan"),
                 P("تكشيطة", "Takchita", "قطعتان للأعراس والمناسبات.", "Deux pièces pour les mariages et les fêtes.",
                   PIECE, (3500, 9000), "caftan"),
                 P("جلابة نسائية", "Djellaba de femme", "ثوب خفيف بالطرز اليدوي.", "Tissu léger brodé à la main.",
                   PIECE, (600, 1500), "caftan"),
                 P("مفرش مطرز بالطرز الفاسي", "Nappe brodée au point de Fès", "طرز يدوي على الكتان.",
                   "Broderie main sur lin.", PIECE, (400, 900), "carpet"),
             ), weight=1, places={"03.231": 5, "03.061": 4, "07.351": 5, "03.451": 2, "07.431": 1}, women=0.8),
    Activity("zellige", "handicrafts", "للزليج التقليدي", "de zellige", "صناعة الزليج التقليدي",
             "Zellige traditionnel", (
                 ("يقطع المعلمون الزليج يدويا بالمنقاش ويركبونه في لوحات هندسية.",
                  "Les maâlems taillent le zellige à la main et l'assemblent en panneaux géométriques."),
             ), (
                 P("زليج فاسي تقليدي", "Zellige traditionnel de Fès", "السعر للمتر المربع.", "Prix au mètre carré.",
                   M2, (450, 900), "zellige"),
                 P("نافورة من الزليج", "Fontaine en zellige", "حسب المقاس.", "Sur mesure.", PIECE, None, "zellige"),
                 P("طاولة زليج", "Table en zellige", "طاولة صغيرة للحديقة.", "Petite table de jardin.", PIECE,
                   (1200, 3000), "zellige"),
             ), weight=0, places={"03.231": 5, "03.061": 1, "07.351": 1}, women=0.05),
    Activity("pastries", "pastries", "للحلويات التقليدية", "de pâtisserie traditionnelle", "صناعة الحلويات التقليدية",
             "Pâtisserie traditionnelle", (
                 ("تحضر الحلويات المغربية باللوز والعسل للأعراس والمناسبات.",
                  "Elle prépare des pâtisseries marocaines aux amandes et au miel pour les mariages et les fêtes."),
                 ("تشتغل بمكونات محلية وتلبي الطلبيات في رمضان والأعياد.",
                  "Elle travaille des produits locaux et honore les commandes du Ramadan et des fêtes."),
             ), (
                 P("كعب الغزال", "Cornes de gazelle", "باللوز وماء الزهر.",
                   "Aux amandes et à l'eau de fleur d'oranger.", KG, (160, 240), "gazelle"),
                 P("الشباكية", "Chebakia", "بالعسل والسمسم.", "Au miel et au sésame.", KG, (60, 100), "chebakia"),
                 P("غريبة", "Ghriba", "غريبة باللوز أو بالزبدة.", "Ghriba aux amandes ou au beurre.", KG, (80, 140),
                   "ghriba"),
                 P("علبة حلويات مشكلة", "Boîte de pâtisseries assorties", "علبة 1 كغ للهدايا.",
                   "Boîte cadeau de 1 kg.", BOX, (180, 260), "gazelle"),
             ), weight=1, places={"03.231": 3, "03.061": 3, "07.351": 3, "07.431": 1}, women=0.85),
    Activity("capers", "agriculture", "لتثمين الكبار", "de câpres", "جني الكبار وتصبيره",
             "Cueillette et conserve de câpres", (
                 ("تجمع الكبار من حقول المنطقة وتصبره في الملح أو الخل.",
                  "Elle récolte les câpres de la région et les conserve au sel ou au vinaigre."),
             ), (
                 P("كبار مصبر", "Câpres en saumure", "برطمان 500 غ.", "Bocal de 500 g.", PIECE, (30, 55), "capers",
                   category="terroir"),
                 P("كبار ملحي", "Câpres au sel", "للمطاعم والمحلات، السعر للكيلوغرام.",
                   "Pour la restauration, prix au kilo.", KG, (40, 70), "capers", category="terroir"),
             ), weight=0, places={"07.431": 4, "07.585": 5, "07.427": 2}, women=0.3),
    Activity("cherries", "agriculture", "لإنتاج حب الملوك", "de cerises", "إنتاج حب الملوك وتثمينه",
             "Production et valorisation des cerises", (
                 ("ينتج أعضاؤها حب الملوك في بساتين المنطقة ويحولونه إلى مربى.",
                  "Ses membres cultivent des cerises dans les vergers de la région et en font des confitures."),
             ), (
                 P("حب الملوك", "Cerises", "قطف يومي في الموسم.", "Cueillies chaque jour en saison.", KG, (25, 45),
                   "cherries"),
                 P("مربى حب الملوك", "Confiture de cerises", "برطمان 350 غ.", "Pot de 350 g.", PIECE, (30, 45), "honey",
                   category="terroir"),
             ), weight=0, places={"03.451": 5, "03.271": 2, "03.171": 2}, women=0.2),
    Activity("almonds", "agriculture", "لإنتاج اللوز", "d'amandes", "إنتاج اللوز البلدي",
             "Production d'amandes beldi", (
                 ("تجمع لوز الضيعات الجبلية وتقشره وتبيعه.",
                  "Elle collecte, décortique et vend les amandes des vergers de montagne."),
             ), (
                 P("لوز بلدي", "Amandes beldi", "لوز مقشر.", "Amandes décortiquées.", KG, (90, 140), "almonds"),
                 P("لوز محمص", "Amandes grillées", "محمص ومملح قليلا.", "Grillées et légèrement salées.", KG,
                   (110, 160), "almonds", category="terroir"),
             ), weight=0, places={"07.041": 2, "07.161": 2, "03.531": 1, "03.561": 1}, women=0.2),
    Activity("thuya", "handicrafts", "لصناعة خشب العرعار", "de marqueterie de thuya", "النجارة الفنية وخشب العرعار",
             "Marqueterie de thuya", (
                 ("يصنع الحرفيون علبا وتحفا من خشب العرعار المطعم بالليمون والصدف.",
                  "Les artisans fabriquent coffrets et objets en thuya marqueté de citronnier et de nacre."),
             ), (
                 P("علبة من خشب العرعار", "Coffret en thuya", "مطعمة يدويا.", "Marqueté à la main.", PIECE,
                   (150, 450), "thuya_box"),
                 P("صندوق مجوهرات", "Boîte à bijoux", "خشب العرعار والليمون.", "Thuya et citronnier.", PIECE,
                   (200, 600), "thuya_box"),
             ), weight=0, places={"07.211": 4}, women=0.05),
    Activity("rural_tourism", "services", "للسياحة القروية", "de tourisme rural", "السياحة القروية والإطعام",
             "Tourisme rural et restauration", (
                 ("تستقبل الزوار في دار ضيافة قروية وتنظم جولات ووجبات تقليدية.",
                  "Elle accueille les visiteurs dans une maison d'hôtes rurale et organise randonnées et repas "
                  "traditionnels."),
             ), (
                 P("وجبة تقليدية للمجموعات", "Repas traditionnel pour groupes", "طاجين وكسكس وشاي، حسب عدد الأشخاص.",
                   "Tajine, couscous et thé, selon le nombre de personnes.", SERVICE, None, "teapot"),
                 P("جولة مع مرشد محلي", "Randonnée avec un guide local", "نصف يوم في الجبل.",
                   "Une demi-journée en montagne.", SERVICE, (150, 300), "teapot"),
             ), weight=0.15, places={"07.041": 3, "03.271": 2, "07.211": 1}, women=0.4),
]
ACTIVITY_BY_KEY = {a.key: a for a in ACTIVITIES}

#: What other regions are known for, used by ``tadamon generate-registry`` (activity → province → weight).
NATIONAL_SPECIALTIES = {
    "argan": {"09.001": 6, "09.163": 6, "09.541": 5, "09.581": 6, "09.273": 2, "10.473": 3, "10.261": 2},
    "saffron": {"09.541": 6, "08.401": 1},
    "dates": {"08.201": 6, "08.587": 6, "08.577": 3, "08.401": 2, "09.551": 4, "10.071": 2, "10.261": 2},
    "plants": {"08.577": 4, "08.401": 2, "01.151": 2},
    "honey": {"05.081": 4, "05.091": 2, "01.151": 2},
    "carpets": {"05.301": 3, "08.363": 3, "05.081": 2, "04.291": 2},
    "olive": {"01.405": 4, "05.091": 2, "04.481": 2, "02.533": 2},
    "pottery": {"01.571": 1, "04.441": 2, "09.581": 1},
    "caftan": {"04.421": 3, "01.571": 2, "06.141": 3},
    "pastries": {"06.141": 2, "04.421": 2, "01.571": 1},
    "cherries": {"08.363": 2},
    "almonds": {"09.581": 2, "09.541": 2, "08.401": 1},
    "rural_tourism": {"01.151": 3, "08.401": 2, "08.587": 2, "05.081": 2},
}

#: Names organizations give themselves: (Arabic, French).
NOUNS = [
    ("تيفاوين", "Tifaouine"), ("تيليلا", "Tilila"), ("تودرت", "Toudert"), ("تامونت", "Tamount"), ("الأمل", "Al Amal"),
    ("النور", "Annour"), ("الخير", "Al Khair"), ("البركة", "Al Baraka"), ("الفتح", "Al Fath"), ("الوفاء", "Al Wafaa"),
    ("النجاح", "Annajah"), ("السعادة", "Assaada"), ("الياسمين", "Yasmine"), ("الزهور", "Azzouhour"),
    ("الريحان", "Rihane"), ("الأطلس", "Atlas"), ("تافوكت", "Tafoukt"), ("إيمان", "Imane"), ("الإخلاص", "Al Ikhlass"),
    ("التضامن", "Attadamoun"), ("الرحمة", "Arrahma"), ("الفلاح", "Al Falah"), ("الصفاء", "Assafaa"),
    ("الهدى", "Al Houda"), ("الوحدة", "Al Wahda"), ("الشروق", "Achourouk"), ("الغد", "Al Ghad"),
    ("الرجاء", "Arrajaa"), ("المستقبل", "Al Moustakbal"), ("النخيل", "Annakhil"), ("الزيتونة", "Zitouna"),
    ("السنبلة", "Assounboula"), ("الوردة", "Al Warda"), ("تيغانيمين", "Tighanimine"), ("أمان", "Aman"),
    ("تازيري", "Taziri"), ("إيزوران", "Izouran"), ("تيويزي", "Tiwizi"), ("أكال", "Akal"), ("أسيف", "Assif"),
    ("أدرار", "Adrar"), ("تامازيرت", "Tamazirt"), ("الأصالة", "Al Assala"), ("الإبداع", "Al Ibdaa"),
    ("الكرامة", "Al Karama"), ("النهضة", "Annahda"), ("الفجر", "Al Fajr"), ("البستان", "Al Boustane"),
    ("الواحة", "Al Waha"), ("الأرز", "Al Arz"), ("سايس", "Saïss"), ("توبقال", "Toubkal"), ("تيشكا", "Tichka"),
    ("المسيرة", "Al Massira"), ("الازدهار", "Al Izdihar"), ("الإشراق", "Al Ichraq"), ("تيميزار", "Timizar"),
    ("أنوال", "Anoual"), ("تاكاديرت", "Tagadirt"), ("الكوثر", "Al Kawtar"), ("الربيع", "Arrabii"),
    ("أزهار الجبل", "Fleurs de la Montagne"), ("يد في يد", "Main dans la Main"), ("نساء الغد", "Femmes de Demain"),
]

WOMEN_FIRST = ["فاطمة", "خديجة", "عائشة", "مليكة", "نعيمة", "زهرة", "رشيدة", "حياة", "سعاد", "لطيفة", "إيمان", "حنان",
               "نادية", "أمينة", "يامنة", "ربيعة", "حفيظة", "السعدية", "ثريا", "كلثوم", "إيطو", "تودة"]
MEN_FIRST = ["محمد", "أحمد", "عبد الله", "الحسن", "إبراهيم", "يوسف", "رشيد", "مصطفى", "عمر", "سعيد", "الحسين",
             "إدريس", "عبد الرحيم", "لحسن", "مبارك", "عبد الكريم", "حميد", "المهدي"]
FAMILY = ["العلوي", "بنعلي", "الإدريسي", "الفاسي", "أيت لحسن", "بوزيد", "الشرقاوي", "التازي", "المرابط", "أوحمو",
          "الحراق", "بنيس", "الصنهاجي", "أمزيان", "أيت الحاج", "بوعزة", "الزموري", "المكناسي", "أوبلا", "الرحماني",
          "السوسي", "بن عمرو", "أزناك", "الوزاني", "الحيحي", "الدكالي"]

#: Sentences any organization may add to its description: (Arabic, French).
EXTRAS = [
    ("استفادت من برنامج مواكبة لتقوية قدراتها في التسيير والمحاسبة والتسويق.",
     "Elle a bénéficié du programme Mowakaba pour renforcer sa gestion, sa comptabilité et sa commercialisation."),
    ("شاركت في المعرض الجهوي للاقتصاد الاجتماعي والتضامني.",
     "Elle a participé au salon régional de l'économie sociale et solidaire."),
    ("تبيع منتوجاتها في المعارض وعبر الطلب بالهاتف.",
     "Elle vend ses produits dans les salons et sur commande par téléphone."),
    ("حصلت على دعم برنامج تمكين لاقتناء معدات جديدة.",
     "Elle a reçu l'appui du programme Tamkine pour acquérir de nouveaux équipements."),
    ("ترافقها منصة حاضنة التعاونيات بالجهة.",
     "Elle est accompagnée par l'incubateur de coopératives de la région."),
    ("تطمح إلى تصدير منتوجاتها والمشاركة في معارض وطنية ودولية.",
     "Elle souhaite exporter ses produits et participer à des salons nationaux et internationaux."),
    ("تلقى أعضاؤها تكوينا في التسويق الإلكتروني والعلامة التجارية.",
     "Ses membres ont été formés au e-marketing et à l'image de marque."),
]

LEGAL_WORDS = {
    LegalForm.COOPERATIVE: ("التعاونية", "La coopérative"),
    LegalForm.ASSOCIATION: ("الجمعية", "L'association"),
    LegalForm.MUTUAL: ("التعاضدية", "La mutuelle"),
    LegalForm.SOCIAL_ENTERPRISE: ("المقاولة الاجتماعية", "L'entreprise sociale"),
}
REGISTRATION_PREFIX = {
    LegalForm.COOPERATIVE: "ODCO",
    LegalForm.ASSOCIATION: "ASS",
    LegalForm.MUTUAL: "MUT",
    LegalForm.SOCIAL_ENTERPRISE: "RC",
}

#: Organizations written by hand (the first ones of every demo, whatever its size).
FEATURED = [
    dict(legal_form=LegalForm.COOPERATIVE, activity="argan", province="07.211", commune=("تمنار", "Tamanar"),
         name_ar="تعاونية تيفاوين لإنتاج زيت الأركان", name_fr="Coopérative Tifaouine d'huile d'argan",
         women_led=True, members=(46, 44, 12), leader="حفيظة أوبلا", year=2004, logo=True),
    dict(legal_form=LegalForm.COOPERATIVE, activity="honey", province="03.451", commune=("البهاليل", "Bhalil"),
         name_ar="تعاونية النحلة الذهبية لتربية النحل وإنتاج العسل",
         name_fr="Coopérative l'Abeille d'Or d'apiculture", women_led=True, members=(18, 11, 7),
         leader="فاطمة الوزاني", year=2016, logo=True, representative=True),
    dict(legal_form=LegalForm.COOPERATIVE, activity="caftan", province="03.231", commune=("فاس", "Fès"),
         name_ar="تعاونية الطرز الفاسي النسوية", name_fr="Coopérative féminine de broderie fassie",
         women_led=True, members=(27, 27, 9), leader="كلثوم بنيس", year=2012, logo=True),
    dict(legal_form=LegalForm.COOPERATIVE, activity="zellige", province="03.231", commune=("فاس", "Fès"),
         name_ar="تعاونية الزليج الفاسي الأصيل", name_fr="Coopérative du zellige fassi authentique",
         women_led=False, members=(14, 0, 5), leader="عبد الكريم الفاسي", year=1998),
    dict(legal_form=LegalForm.COOPERATIVE, activity="olive", province="03.061",
         commune=("مولاي إدريس زرهون", "Moulay Driss Zerhoun"), name_ar="تعاونية زيتون زرهون",
         name_fr="Coopérative Zitoun Zerhoun", women_led=False, members=(62, 9, 14), leader="إدريس المكناسي",
         year=2009),
    dict(legal_form=LegalForm.ASSOCIATION, activity="natural", province="03.131", commune=("ميسور", "Missour"),
         name_ar="جمعية نساء ميسور لتثمين الغاسول", name_fr="Association des femmes de Missour pour le ghassoul",
         women_led=True, members=(35, 33, 15), leader="يامنة الشرقاوي", year=2019),
    dict(legal_form=LegalForm.COOPERATIVE, activity="pottery", province="07.431", commune=("آسفي", "Safi"),
         name_ar="تعاونية تل الفخارين للخزف", name_fr="Coopérative de céramique de la colline des potiers",
         women_led=False, members=(23, 3, 8), leader="مبارك الدكالي", year=2001, logo=True),
    dict(legal_form=LegalForm.COOPERATIVE, activity="carpets", province="07.041", commune=("أسني", "Asni"),
         name_ar="تعاونية تيويزي لنسج الزرابي", name_fr="Coopérative Tiwizi de tissage de tapis", women_led=True,
         members=(31, 31, 10), leader="إيطو أيت الحاج", year=2014),
    dict(legal_form=LegalForm.COOPERATIVE, activity="capers", province="07.585", commune=("الشماعية", "Chemaia"),
         name_ar="تعاونية الشماعية لتثمين الكبار", name_fr="Coopérative de câpres de Chemaia", women_led=False,
         members=(40, 12, 11), leader="عبد الرحيم الرحماني", year=2021),
    dict(legal_form=LegalForm.COOPERATIVE, activity="pastries", province="03.061", commune=("مكناس", "Meknès"),
         name_ar="تعاونية حلويات مكناس التقليدية", name_fr="Coopérative de pâtisserie traditionnelle de Meknès",
         women_led=True, members=(12, 12, 6), leader="ثريا الزموري", year=2023),
]


def of(name):
    """French "de" before a place name, elided before a vowel: "de Safi", "d'Imouzzer"."""
    first = unicodedata.normalize("NFKD", name)[:1].lower()
    return f"d'{name}" if first in "aeiouy" else f"de {name}"


def slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


# ---- building one organization -------------------------------------------------------------------

@dataclass
class Place:
    """A province with its communes, for the generator."""

    province: Province
    weight: float
    communes: list


@dataclass
class Built:
    organization: Organization
    products: list  # [(Product, [(picture kind, variant), ...])]
    logo: int | None = None
    representative: bool = False


class Builder:
    """Makes organizations (unsaved, search fields filled) from an index; the same index always
    gives the same organization."""

    def __init__(self, places, sectors, seed=SEED, registration_prefix="", products_per_org=None,
                 verifiers=None):
        self.places = places
        self.sectors = sectors
        self.seed = seed
        self.prefix = registration_prefix
        self.products_per_org = products_per_org
        self.verifiers = verifiers or {}
        self.place_weights = [p.weight for p in places]
        self.by_code = {p.province.code: p for p in places}
        self.activity_weights = {
            p.province.code: [a.weight + a.places.get(p.province.code, 0)
                              + NATIONAL_SPECIALTIES.get(a.key, {}).get(p.province.code, 0) for a in ACTIVITIES]
            for p in places
        }
        self.counters = {form: 0 for form in LegalForm.values}
        self.names = set()
        self.search_cache = {}
        self.featured = len(FEATURED) if registration_prefix == "" else 0

    # -- choices --
    def sector(self, key):
        """The sector of that key; national administrators may have renamed or removed some."""
        return self.sectors.get(key) or self.sectors.get("other") or next(iter(self.sectors.values()))

    def rng(self, index):
        return random.Random(f"{self.seed}-{index}")  # noqa: S311 (demo data, not secrets)

    def place(self, index, rng):
        first = index - self.featured
        if 0 <= first < len(self.places):  # every province once, then by weight
            return self.places[first]
        return rng.choices(self.places, weights=self.place_weights)[0]

    def legal_form(self, rng, activity):
        if activity.key == "rural_tourism":
            return rng.choice([LegalForm.ASSOCIATION, LegalForm.COOPERATIVE, LegalForm.SOCIAL_ENTERPRISE])
        return rng.choices([LegalForm.COOPERATIVE, LegalForm.ASSOCIATION, LegalForm.MUTUAL,
                            LegalForm.SOCIAL_ENTERPRISE], weights=[78, 16, 2, 4])[0]

    def registration(self, legal_form, year, province_code):
        self.counters[legal_form] += 1
        n = self.counters[legal_form]
        prefix = self.prefix + REGISTRATION_PREFIX[legal_form]
        if legal_form == LegalForm.COOPERATIVE:
            return f"{prefix}-{year}-{n:05d}"
        if legal_form == LegalForm.ASSOCIATION:
            return f"{prefix}-{province_code.replace('.', '')}-{n:05d}"
        return f"{prefix}-{n:05d}"

    def name(self, rng, legal_form, activity, women_led, commune):
        noun_ar, noun_fr = rng.choice(NOUNS)
        if legal_form == LegalForm.COOPERATIVE:
            if women_led and rng.random() < 0.5:
                ar = f"تعاونية {noun_ar} النسوية {activity.of_ar}"
                fr = f"Coopérative féminine {noun_fr} {activity.of_fr}"
            else:
                ar, fr = f"تعاونية {noun_ar} {activity.of_ar}", f"Coopérative {noun_fr} {activity.of_fr}"
        elif legal_form == LegalForm.ASSOCIATION:
            ar, fr = rng.choice([
                (f"جمعية {noun_ar} للتنمية والتضامن", f"Association {noun_fr} pour le développement et la solidarité"),
                (f"جمعية {noun_ar} {activity.of_ar}", f"Association {noun_fr} {activity.of_fr}"),
                (f"جمعية {commune[0]} للتنمية القروية", f"Association de développement rural {of(commune[1])}"),
                (f"جمعية النساء القرويات {noun_ar}", f"Association des femmes rurales {noun_fr}")
                if women_led else (f"جمعية {noun_ar} للتنمية", f"Association {noun_fr} pour le développement"),
            ])
        elif legal_form == LegalForm.MUTUAL:
            if activity.sector in ("handicrafts", "textile"):
                ar, fr = f"تعاضدية الحرفيين {noun_ar}", f"Mutuelle des artisans {noun_fr}"
            else:
                ar, fr = f"التعاضدية الفلاحية {noun_ar}", f"Mutuelle agricole {noun_fr}"
        else:
            ar, fr = f"المقاولة الاجتماعية {noun_ar} {activity.of_ar}", f"Entreprise sociale {noun_fr} {activity.of_fr}"
        if ar in self.names:
            ar, fr = f"{ar} ب{commune[0]}", f"{fr} {of(commune[1])}"
        if ar in self.names:
            ar, fr = f"{ar} {len(self.names)}", f"{fr} {len(self.names)}"
        self.names.add(ar)
        return ar, fr

    def members(self, rng, legal_form, women_led):
        base = {LegalForm.COOPERATIVE: (7, 2.4, 0.7), LegalForm.ASSOCIATION: (10, 3.0, 0.8),
                LegalForm.MUTUAL: (40, 4.4, 0.6), LegalForm.SOCIAL_ENTERPRISE: (3, 1.8, 0.5)}[legal_form]
        total = min(900, base[0] + int(rng.lognormvariate(base[1], base[2])))
        if women_led:
            share = 1.0 if rng.random() < 0.35 else rng.uniform(0.6, 0.98)
        else:
            share = 0.0 if rng.random() < 0.25 else rng.uniform(0.08, 0.5)
        women = round(total * share)
        youth = round(total * rng.uniform(0.1, 0.55))
        return total, women, youth

    def leader(self, rng, women_led):
        first = rng.choice(WOMEN_FIRST if women_led else MEN_FIRST)
        return f"{first} {rng.choice(FAMILY)}"

    @staticmethod
    def created_on(rng, year=None):
        if year is None:
            bucket = rng.random()
            year = rng.randint(2021, 2025) if bucket < 0.36 else (rng.randint(2011, 2020) if bucket < 0.78
                                                                  else rng.randint(1995, 2010))
        day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        return min(day, LAST_DAY)

    # -- the organization --
    def build(self, index):
        rng = self.rng(index)
        featured = FEATURED[index] if index < self.featured else None
        if featured:
            place = self.by_code[featured["province"]]
            activity = ACTIVITY_BY_KEY[featured["activity"]]
            legal_form = featured["legal_form"]
            women_led = featured["women_led"]
            commune = featured["commune"]
            name_ar, name_fr = featured["name_ar"], featured["name_fr"]
            self.names.add(name_ar)
            total, women, youth = featured["members"]
            leader = featured["leader"]
            created_on = self.created_on(rng, featured["year"])
        else:
            place = self.place(index, rng)
            activity = rng.choices(ACTIVITIES, weights=self.activity_weights[place.province.code])[0]
            legal_form = self.legal_form(rng, activity)
            women_led = rng.random() < activity.women * (0.55 if legal_form != LegalForm.COOPERATIVE else 0.5)
            commune = rng.choice(place.communes)
            name_ar, name_fr = self.name(rng, legal_form, activity, women_led, commune)
            total, women, youth = self.members(rng, legal_form, women_led)
            leader = self.leader(rng, women_led)
            created_on = self.created_on(rng)
        province = place.province
        sector = self.sector(activity.sector)
        legal_ar, legal_fr = LEGAL_WORDS[legal_form]
        sentence_ar, sentence_fr = rng.choice(activity.sentences)
        extras = rng.sample(EXTRAS, k=rng.randint(1, 2))
        description_ar = [f"تأسست {legal_ar} سنة {created_on.year} بجماعة {commune[0]} ({province.name_ar}).",
                          sentence_ar, f"عدد المنخرطين: {total}، منهم {women} من النساء."]
        description_fr = [f"{legal_fr} a été créée en {created_on.year} à {commune[1]} ({province.name_fr}).",
                          sentence_fr, f"Elle compte {total} membres, dont {women} femmes."]
        if women_led:
            description_ar.append("تسيرها نساء من المنطقة وتعمل على تمكينهن اقتصاديا.")
            description_fr.append("Elle est dirigée par des femmes de la localité et œuvre à leur autonomisation "
                                  "économique.")
        description_ar += [e[0] for e in extras]
        description_fr += [e[1] for e in extras]
        handle = slug(f"{name_fr}")[:40].strip("-")
        verified = rng.random() < (0.95 if featured else 0.7)
        verified_at = None
        if verified:
            moment = min(created_on + timedelta(days=rng.randint(30, 900)), LAST_DAY)
            verified_at = timezone.make_aware(datetime.combine(moment, time(10, rng.randrange(60))))
        organization = Organization(
            legal_form=legal_form, name_ar=name_ar, name_fr=name_fr,
            registration_number=self.registration(legal_form, created_on.year, province.code),
            created_on=created_on, province=province, region_id=province.region_id, commune=commune[0],
            address=f"دوار {rng.choice(NOUNS)[0]}، جماعة {commune[0]}" if rng.random() < 0.3 else "",
            sector=sector, activities=f"{activity.label_ar}\n{activity.label_fr}",
            members_total=total, members_women=women, members_youth=youth, women_led=women_led,
            leader_name=leader, phone="06" + "".join(str(rng.randrange(10)) for _ in range(8)),
            email=f"{handle}@demo.tadamon.ma" if rng.random() < 0.6 else "",
            website=f"https://{handle}.demo.tadamon.ma" if rng.random() < 0.1 else "",
            facebook=f"https://www.facebook.com/{handle.replace('-', '.')}.demo" if rng.random() < 0.3 else "",
            instagram=f"https://www.instagram.com/{handle.replace('-', '_')}_demo" if rng.random() < 0.15 else "",
            description_ar=" ".join(description_ar), description_fr=" ".join(description_fr),
            is_active=bool(featured) or rng.random() > 0.015, verified_at=verified_at,
            verified_by=self.verifiers.get(province.region_id) if verified else None,
        )
        organization.refresh_search()
        products = self.products(rng, organization, activity, province)
        logo = None
        if (featured and featured.get("logo")) or (not featured and rng.random() < 0.3):
            logo = rng.randrange(24)
        return Built(organization, products, logo, bool(featured and featured.get("representative")))

    def products(self, rng, organization, activity, province):
        templates = list(activity.products)
        count = self.products_per_org or rng.choices([1, 2, 3, 4], weights=[25, 35, 25, 15])[0]
        chosen = rng.sample(templates, k=min(count, len(templates)))
        while len(chosen) < count:  # the generator may ask for more products than templates
            chosen.append(rng.choice(templates))
        built, seen = [], {}
        for template in chosen:
            seen[template] = seen.get(template, 0) + 1
            suffix_ar = suffix_fr = ""
            if seen[template] > 1:
                suffix_ar, suffix_fr = f" (تشكيلة {seen[template]})", f" (gamme {seen[template]})"
            category = self.sector(template.category or activity.sector)
            price = None
            if template.price and rng.random() > 0.08:
                low, high = template.price
                step = 5 if high >= 50 else 1
                price = Decimal(rng.randrange(low // step, high // step + 1) * step)
            food = category.is_food
            product = Product(
                organization=organization, region_id=organization.region_id,
                name_ar=template.name_ar + suffix_ar, name_fr=template.name_fr + suffix_fr,
                description_ar=template.description_ar, description_fr=template.description_fr,
                category=category, price=price, unit=template.unit,
                sanitary_authorization=(f"AS.{province.code.split('.')[1]}.{rng.randrange(1, 999):03d}."
                                        f"{rng.randint(10, 25)}") if food and rng.random() < 0.85 else "",
                terroir_label=category.key in ("terroir", "agriculture") and rng.random() < 0.5,
                origin_label=template.origin_label if template.origin_label and rng.random() < 0.4 else "",
                is_active=rng.random() > 0.03,
            )
            key = (product.name_ar, product.name_fr, category.pk, product.origin_label)
            if key not in self.search_cache:  # the texts of a template repeat: normalize them once
                product.refresh_search()
                self.search_cache[key] = (product.search_name, product.search_body)
            product.search_name, product.search_body = self.search_cache[key]
            kind = template.picture
            variants = demo_pictures.variants(kind)
            first = rng.randrange(variants)
            pictures = [(kind, first)]
            if variants > 1 and rng.random() < 0.3:
                pictures.append((kind, (first + 1) % variants))
            built.append((product, pictures))
        return built


# ---- saving many at once ---------------------------------------------------------------------------

def save_picture(name, data):
    """Store ``data`` under ``name`` unless a file is already there (the pictures are deterministic)."""
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(data))


def save_batch(batch, *, with_pictures=True, indexed_words=None):
    """Insert the organizations of ``batch`` (Built objects), then their products and pictures.

    ``bulk_create`` skips ``save()`` and the signals: the search fields were filled by
    ``refresh_search()`` when the objects were built, and the words for typo tolerance are
    indexed here. ``indexed_words`` (a set) remembers words already indexed by earlier batches.
    Returns (organizations, products, photos) counts.
    """
    organizations = [b.organization for b in batch]
    if with_pictures:
        for built in batch:
            if built.logo is not None:
                name = f"logos/demo/{slug(built.organization.registration_number)}.jpg"
                built.organization.logo.name = save_picture(name, demo_pictures.draw_logo(built.logo))
    for built in batch:
        built.organization.search_products = Organization.products_search_text(p for p, _ in built.products)
    Organization.objects.bulk_create(organizations, batch_size=1000)
    products = []
    for built in batch:
        for product, _pictures in built.products:
            product.organization = built.organization  # now it has its id
            products.append(product)
    Product.objects.bulk_create(products, batch_size=1000)
    photos = []
    if with_pictures:
        for built in batch:
            number = slug(built.organization.registration_number)
            for position, (product, pictures) in enumerate(built.products):
                for order, (kind, variant) in enumerate(pictures):
                    name = save_picture(f"products/demo/{number}-{position}-{order}.jpg",
                                        demo_pictures.draw(kind, variant))
                    photos.append(ProductPhoto(product=product, image=name, width=demo_pictures.WIDTH,
                                               height=demo_pictures.HEIGHT, position=order))
        ProductPhoto.objects.bulk_create(photos, batch_size=1000)
    words = set()
    for obj in (*organizations, *products):
        words.update(obj.search_name.split(" "))
        words.update(obj.search_body.split(" "))
    if indexed_words is not None:
        words -= indexed_words
        indexed_words |= words
    index_terms([" ".join(sorted(words))])
    return len(organizations), len(products), len(photos)


def demo_places():
    provinces = {p.code: p for p in Province.objects.filter(code__in=COMMUNES)}
    # Alternate the two regions so that a small demo still has both.
    fes = [c for c in COMMUNES if c.startswith("03.")]
    marrakech = [c for c in COMMUNES if c.startswith("07.")]
    order = [c for pair in zip(fes, marrakech, strict=False) for c in pair]
    order += [c for c in fes + marrakech if c not in order]
    return [Place(provinces[code], COMMUNES[code][0], COMMUNES[code][1]) for code in order]


def verifiers_by_region():
    User = get_user_model()
    users = {u.email: u for u in User.objects.filter(email__in=STAFF_BY_REGION.values())}
    out = {}
    for province in Province.objects.filter(region__code__in=STAFF_BY_REGION).select_related("region"):
        user = users.get(STAFF_BY_REGION[province.region.code])
        if user is not None:
            out[province.region_id] = user
    return out


@transaction.atomic
def load_demo(organizations=DEFAULT_ORGANIZATIONS, seed=SEED):
    """Load about ``organizations`` demo organizations (idempotent); return a one-line summary."""
    with scopes_disabled():
        sectors = {s.key: s for s in Sector.objects.all()}
        builder = Builder(demo_places(), sectors, seed=seed, verifiers=verifiers_by_region())
        built = [builder.build(i) for i in range(organizations)]
        existing = set(Organization.objects.filter(
            registration_number__in=[b.organization.registration_number for b in built]
        ).values_list("legal_form", "registration_number"))
        new = [b for b in built if (b.organization.legal_form, b.organization.registration_number) not in existing]
        counts = save_batch(new) if new else (0, 0, 0)
        represented = _demo_representative(built)
        total = Organization.objects.count()
    line = (f"registry demo: {counts[0]} organizations, {counts[1]} products, {counts[2]} photos created "
            f"({total} organizations in the registry)")
    if represented:
        line += f"; {DEMO_REPRESENTATIVE} represents «{represented}»"
    return line


def _demo_representative(built):
    """The demo account of a cooperative represents the featured honey cooperative of Sefrou."""
    user = get_user_model().objects.filter(email=DEMO_REPRESENTATIVE).first()
    target = next((b for b in built if b.representative), None)
    if user is None or target is None:
        return ""
    organization = Organization.objects.get(legal_form=target.organization.legal_form,
                                            registration_number=target.organization.registration_number)
    representation, created = Representation.objects.get_or_create(
        user=user, organization=organization,
        defaults={"status": Representation.Status.APPROVED, "role_in_organization": "الرئيسة",
                  "decided_at": timezone.now()})
    if not created and representation.status != Representation.Status.APPROVED:
        representation.status = Representation.Status.APPROVED
        representation.decided_at = timezone.now()
        representation.save(update_fields=["status", "decided_at"])
    return organization.name_fr
