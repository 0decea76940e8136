//! Realistic names of the region's residents: Kazakh (about 70 %), Russian (about 25 %) and
//! others (Ukrainian, German, Tatar, Korean), with the female forms of surnames and
//! patronymics.
//!
//! Names are spelled as Russian-language registries write them. Kazakh patronymics come both in
//! the Russian style (Серикович, Сериковна) and in the Kazakh one (Серікұлы, Серікқызы), both
//! common on documents of the region.
//! Length: `NameTables::new` is a table of name lists (data), longer than a function should be.

use rand::Rng;
use rand::seq::IndexedRandom;

use super::geometry::pick_weighted;
use crate::domain::person::Sex;

/// A person's name in the registry's three parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Name {
    /// Family name, in the form for the person's sex.
    pub last: String,
    /// Given name.
    pub first: String,
    /// Patronymic, when the person has one.
    pub middle: Option<String>,
}

const KAZAKH_SURNAMES: &str = "Ахметов Абенов Жаксылыков Искаков Нурпеисов Сарсенбаев Тулегенов \
    Байжанов Есенов Сулейменов Кенжебаев Омаров Бекмухамбетов Жунусов Калиев Мусин Садыков \
    Тлеубаев Умбетов Шаймерденов Есмагамбетов Амантаев Кудайбергенов Абдрахманов Ибраев Жакупов \
    Сагындыков Мукашев Темирбаев Оспанов Рахимов Смагулов Кожахметов Ержанов Дюсенов Иманбаев \
    Толеуов Уразов Мамыров Байтурсынов Алимжанов Муканов Жумабаев Касымов Сейткалиев Нургалиев \
    Бейсенов Утепов Шалабаев Кабдулов Аубакиров Жанузаков";
const KAZAKH_MEN: &str = "Ерлан Нурлан Серик Бауыржан Асхат Ержан Айдос Данияр Арман Ербол Марат \
    Максат Дархан Азамат Руслан Тимур Алмас Жандос Бекзат Нуржан Талгат Канат Болат Ерик Мурат \
    Султан Асылбек Бахытжан Жанибек Кайрат Мирас Нурсултан Санжар Темирлан Аслан Абылай Ерасыл \
    Мадияр Дамир Ильяс Адиль Ермек Берик Самат Жасулан Олжас Еркебулан";
const KAZAKH_WOMEN: &str = "Айгуль Гульнара Жанар Динара Асель Айгерим Салтанат Мадина Алия \
    Жанна Сауле Гульмира Назира Аружан Меруерт Айжан Ботагоз Камила Дана Томирис Галия Индира";
/// Fathers' names as Russian and Kazakh spelling, for Серикович and Серікұлы alike.
const KAZAKH_FATHERS: &str = "Серик/Серік Нурлан/Нұрлан Болат/Болат Марат/Марат Ерлан/Ерлан \
    Канат/Қанат Кайрат/Қайрат Мурат/Мұрат Нуржан/Нұржан Бахыт/Бақыт Жумабек/Жұмабек \
    Талгат/Талғат Асылбек/Асылбек Сагындык/Сағындық Ермек/Ермек Даулет/Дәулет Мухтар/Мұхтар \
    Бауыржан/Бауыржан Темирхан/Темірхан Жанат/Жанат Айдар/Айдар Максат/Мақсат Берик/Берік \
    Сабит/Сабит Кенжебек/Кенжебек Аскар/Асқар Амангельды/Амангелді";

const RUSSIAN_SURNAMES: &str = "Иванов Петров Смирнов Кузнецов Попов Васильев Соколов Михайлов \
    Новиков Федоров Морозов Волков Алексеев Лебедев Семенов Егоров Павлов Козлов Степанов \
    Николаев Орлов Андреев Макаров Никитин Захаров Зайцев Соловьев Борисов Яковлев Григорьев \
    Романов Воробьев Сергеев Гусев Киселев Белов Фомин Калинин Ковалевский Жуковский";
const RUSSIAN_MEN: &str = "Александр Сергей Андрей Дмитрий Алексей Владимир Николай Евгений Игорь \
    Виктор Олег Юрий Иван Михаил Павел Денис Роман Максим Артём Константин Виталий Вячеслав \
    Анатолий Геннадий Владислав Кирилл";
const RUSSIAN_WOMEN: &str = "Елена Ольга Наталья Татьяна Ирина Светлана Анна Марина Юлия \
    Екатерина Оксана Людмила Валентина";
/// Patronymics as male/female pairs: the endings vary too much for a rule (Юрьевич, Ильич).
const RUSSIAN_PATRONYMICS: &str = "Александрович/Александровна Сергеевич/Сергеевна \
    Андреевич/Андреевна Дмитриевич/Дмитриевна Алексеевич/Алексеевна Владимирович/Владимировна \
    Николаевич/Николаевна Евгеньевич/Евгеньевна Игоревич/Игоревна Викторович/Викторовна \
    Юрьевич/Юрьевна Иванович/Ивановна Михайлович/Михайловна Павлович/Павловна \
    Петрович/Петровна Анатольевич/Анатольевна Васильевич/Васильевна Геннадьевич/Геннадьевна \
    Валерьевич/Валерьевна Олегович/Олеговна";

const UKRAINIAN_SURNAMES: &str = "Ткаченко Шевченко Бондаренко Коваленко Кравченко Мельник \
    Литвиненко Ковальчук Савчук";
const GERMAN_SURNAMES: &str = "Шмидт Миллер Вагнер Бауэр Шнайдер Майер Гофман Классен";
const GERMAN_MEN: &str = "Андрей Виктор Александр Владимир Эдуард Артур Роберт";
const GERMAN_WOMEN: &str = "Ирина Ольга Эльвира Лидия";
const GERMAN_PATRONYMICS: &str = "Эдуардович/Эдуардовна Артурович/Артуровна Робертович/Робертовна \
    Викторович/Викторовна Александрович/Александровна Владимирович/Владимировна";
const TATAR_SURNAMES: &str = "Хабибуллин Галиев Сафин Гарипов Закиров Шарипов";
const TATAR_MEN: &str = "Ринат Рустам Ильдар Руслан Марат Айрат";
const TATAR_WOMEN: &str = "Гульнара Альфия Лилия Резеда";
const TATAR_PATRONYMICS: &str = "Ринатович/Ринатовна Рашидович/Рашидовна Фаридович/Фаридовна \
    Ильдарович/Ильдаровна Маратович/Маратовна";
const KOREAN_SURNAMES: &str = "Ким Пак Ли Цой Тен Хан";
const KOREAN_MEN: &str = "Виктор Вячеслав Станислав Сергей Александр Валерий";
const KOREAN_WOMEN: &str = "Марина Елена Светлана";

/// One people's naming customs, with the words split once.
struct Naming {
    weight: u32,
    surnames: Vec<&'static str>,
    men: Vec<&'static str>,
    women: Vec<&'static str>,
    /// Male/female patronymic pairs, or Kazakh fathers' names in two spellings.
    fathers: Vec<(&'static str, &'static str)>,
    is_kazakh: bool,
}

/// The name tables of the region's peoples, ready to draw from.
pub(super) struct NameTables {
    namings: Vec<Naming>,
}

fn words(text: &'static str) -> Vec<&'static str> {
    text.split_whitespace().collect()
}

fn pairs(text: &'static str) -> Vec<(&'static str, &'static str)> {
    text.split_whitespace()
        .map(|pair| pair.split_once('/').unwrap_or((pair, pair)))
        .collect()
}

impl NameTables {
    /// Splits the tables; weights are per mille of the population.
    // Long: data: the name tables themselves.
    pub fn new() -> Self {
        let naming = |weight, surnames, men, women, fathers, is_kazakh| Naming {
            weight,
            surnames: words(surnames),
            men: words(men),
            women: words(women),
            fathers: pairs(fathers),
            is_kazakh,
        };
        Self {
            namings: vec![
                naming(
                    700,
                    KAZAKH_SURNAMES,
                    KAZAKH_MEN,
                    KAZAKH_WOMEN,
                    KAZAKH_FATHERS,
                    true,
                ),
                naming(
                    250,
                    RUSSIAN_SURNAMES,
                    RUSSIAN_MEN,
                    RUSSIAN_WOMEN,
                    RUSSIAN_PATRONYMICS,
                    false,
                ),
                naming(
                    20,
                    UKRAINIAN_SURNAMES,
                    RUSSIAN_MEN,
                    RUSSIAN_WOMEN,
                    RUSSIAN_PATRONYMICS,
                    false,
                ),
                naming(
                    15,
                    GERMAN_SURNAMES,
                    GERMAN_MEN,
                    GERMAN_WOMEN,
                    GERMAN_PATRONYMICS,
                    false,
                ),
                naming(
                    10,
                    TATAR_SURNAMES,
                    TATAR_MEN,
                    TATAR_WOMEN,
                    TATAR_PATRONYMICS,
                    false,
                ),
                naming(
                    5,
                    KOREAN_SURNAMES,
                    KOREAN_MEN,
                    KOREAN_WOMEN,
                    RUSSIAN_PATRONYMICS,
                    false,
                ),
            ],
        }
    }

    /// A name for a person of `sex`, drawn with the region's mix of peoples.
    pub fn draw(&self, rng: &mut impl Rng, sex: Sex) -> Name {
        let index = pick_weighted(rng, self.namings.iter().map(|n| n.weight));
        let Some(naming) = self.namings.get(index) else {
            return Name {
                last: "Ахметов".into(),
                first: "Ерлан".into(),
                middle: None,
            };
        };
        let surname = naming.surnames.choose(rng).copied().unwrap_or("Ахметов");
        let firsts = if sex == Sex::Male {
            &naming.men
        } else {
            &naming.women
        };
        let first = firsts.choose(rng).copied().unwrap_or("Ерлан");
        let father = naming.fathers.choose(rng).copied();
        let middle = match (father, naming.is_kazakh) {
            (None, _) => None,
            (Some((ru, kk)), true) => kazakh_patronymic(rng, ru, kk, sex),
            (Some((male, female)), false) => {
                Some(if sex == Sex::Male { male } else { female }.to_owned())
            }
        };
        let last = if sex == Sex::Male {
            surname.to_owned()
        } else {
            feminine_surname(surname)
        };
        Name {
            last,
            first: first.to_owned(),
            middle,
        }
    }
}

/// A Kazakh patronymic in one of the styles documents use, or none (a few people have none).
fn kazakh_patronymic(
    rng: &mut impl Rng,
    father_ru: &str,
    father_kk: &str,
    sex: Sex,
) -> Option<String> {
    match rng.random_range(0..100) {
        0..=57 => Some(russian_style_patronymic(father_ru, sex)),
        58..=95 if sex == Sex::Male => Some(format!("{father_kk}ұлы")),
        58..=95 => Some(format!("{father_kk}қызы")),
        _ => None,
    }
}

/// Серик → Серикович / Сериковна; a name ending in -ы takes -иевич (Амангельдиевич).
fn russian_style_patronymic(father: &str, sex: Sex) -> String {
    let (stem, male, female) = match father.strip_suffix('ы') {
        Some(stem) => (stem, "иевич", "иевна"),
        None => (father, "ович", "овна"),
    };
    format!("{stem}{}", if sex == Sex::Male { male } else { female })
}

/// The female form of a surname: Ахметов → Ахметова, Ковалевский → Ковалевская; surnames in
/// -енко, -ук, Ким and the like do not change.
pub(super) fn feminine_surname(male: &str) -> String {
    if let Some(stem) = male
        .strip_suffix("ий")
        .filter(|s| s.ends_with("ск") || s.ends_with("цк"))
    {
        return format!("{stem}ая");
    }
    if ["ов", "ев", "ёв", "ин", "ын"]
        .iter()
        .any(|end| male.ends_with(end))
    {
        return format!("{male}а");
    }
    male.to_owned()
}

/// Initials for "ИП Ахметов Е.С.": first letters of the given name and patronymic.
pub(super) fn initials(name: &Name) -> String {
    let initial = |s: &str| {
        s.chars()
            .next()
            .map(|c| format!("{c}."))
            .unwrap_or_default()
    };
    format!(
        "{}{}",
        initial(&name.first),
        name.middle.as_deref().map(initial).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    use super::*;

    #[test]
    fn female_surnames_take_the_female_ending_or_stay() {
        assert_eq!(feminine_surname("Ахметов"), "Ахметова");
        assert_eq!(feminine_surname("Мусин"), "Мусина");
        assert_eq!(feminine_surname("Ковалевский"), "Ковалевская");
        assert_eq!(feminine_surname("Шевченко"), "Шевченко");
        assert_eq!(feminine_surname("Ким"), "Ким");
    }

    #[test]
    fn kazakh_patronymics_follow_sex_in_both_styles() {
        let mut rng = Pcg64Mcg::seed_from_u64(5);
        let mut seen = Vec::new();
        for _ in 0..200 {
            seen.extend(kazakh_patronymic(&mut rng, "Серик", "Серік", Sex::Female));
        }
        assert!(seen.iter().any(|p| p == "Сериковна"));
        assert!(seen.iter().any(|p| p == "Серікқызы"));
        assert!(seen.iter().all(|p| p == "Сериковна" || p == "Серікқызы"));
        assert_eq!(
            russian_style_patronymic("Амангельды", Sex::Male),
            "Амангельдиевич"
        );
        assert_eq!(russian_style_patronymic("Серик", Sex::Male), "Серикович");
    }

    #[test]
    fn most_names_are_kazakh_and_women_get_female_forms() {
        let tables = NameTables::new();
        let mut rng = Pcg64Mcg::seed_from_u64(9);
        let names: Vec<Name> = (0..2000)
            .map(|_| tables.draw(&mut rng, Sex::Female))
            .collect();
        let kazakh = names
            .iter()
            .filter(|n| words(KAZAKH_WOMEN).contains(&n.first.as_str()))
            .count();
        assert!(
            (1200..=1600).contains(&kazakh),
            "{kazakh} Kazakh names of 2000"
        );
        assert!(
            names
                .iter()
                .all(|n| !n.last.ends_with("ов") && !n.last.ends_with("ин"))
        );
        let middles = names.iter().filter_map(|n| n.middle.as_deref());
        assert!(
            middles
                .clone()
                .all(|m| m.ends_with("на") || m.ends_with("қызы")),
            "male patronymic"
        );
    }
}
