//! The villages of the demo region's rural districts, and the streets and farms that make
//! their addresses and jobs.
//!
//! Villages are real places at approximate positions (district centres weigh more); the farms
//! are invented.

use super::towns::{Cluster, c};

/// A village (or settlement) of a rural district.
pub(super) struct Village {
    /// Code of the rural district the village lies in.
    pub code: &'static str,
    /// The village as addresses name it, e.g. "с. Затобольск".
    pub name: &'static str,
    /// Where its homes are.
    pub cluster: Cluster,
}

/// How addresses in each rural district start.
const RAYONS: [(&str, &str); 7] = [
    ("KSR", "Костанайский р-н"),
    ("KRB", "Карабалыкский р-н"),
    ("MND", "Мендыкаринский р-н"),
    ("BML", "р-н Беимбета Майлина"),
    ("ZHR", "Житикаринский р-н"),
    ("AUL", "Аулиекольский р-н"),
    ("AMG", "Амангельдинский р-н"),
];

impl Village {
    /// How an address here starts: "Костанайский р-н, с. Затобольск".
    pub fn prefix(&self) -> String {
        let rayon = RAYONS.iter().find(|r| r.0 == self.code).map_or("", |r| r.1);
        format!("{rayon}, {}", self.name)
    }
}

const fn v(code: &'static str, name: &'static str, lat: f64, lon: f64, weight: u32) -> Village {
    // Villages are a couple of kilometres across; the district centres somewhat more.
    let sigma_km = if weight >= 3 { 1.0 } else { 0.6 };
    Village {
        code,
        name,
        cluster: c(lat, lon, sigma_km, weight),
    }
}

/// The villages, weighted by how many residents they have.
pub(super) const VILLAGES: &[Village] = &[
    v("KSR", "с. Затобольск", 53.1950, 63.7150, 6),
    v("KSR", "с. Заречное", 53.1150, 63.7150, 2),
    v("KSR", "с. Мичуринское", 53.2850, 63.4950, 2),
    v("KSR", "с. Садчиковка", 53.3950, 63.8450, 1),
    v("KRB", "п. Карабалык", 53.8450, 62.0750, 3),
    v("KRB", "с. Федоровка", 53.6350, 62.7000, 3),
    v("KRB", "с. Смирновка", 53.9400, 62.3600, 1),
    v("KRB", "с. Новотроицкое", 53.6800, 61.9000, 1),
    v("MND", "с. Боровское", 53.8000, 64.1800, 3),
    v("MND", "с. Сарыколь", 53.3300, 65.5500, 2),
    v("MND", "с. Узунколь", 54.0000, 65.3200, 2),
    v("MND", "с. Каменскуральское", 53.8800, 64.4500, 1),
    v("BML", "г. Тобол", 52.6900, 62.5800, 3),
    v("BML", "с. Тарановское", 52.5600, 62.8700, 2),
    v("BML", "п. Качар", 53.0400, 62.8600, 2),
    v("BML", "с. Денисовка", 52.4500, 61.7700, 2),
    v("ZHR", "с. Камысты", 51.4500, 62.3500, 2),
    v("ZHR", "с. Милютинка", 52.3500, 61.5500, 1),
    v("ZHR", "с. Забеловка", 51.9500, 61.4500, 1),
    v("ZHR", "с. Пригородное", 52.2300, 61.2900, 1),
    v("AUL", "с. Аулиеколь", 52.3700, 64.1000, 4),
    v("AUL", "с. Кусмурын", 52.4700, 64.6300, 1),
    v("AUL", "с. Карасу", 52.7200, 65.4900, 2),
    v("AUL", "с. Караменды", 51.6400, 64.3100, 1),
    v("AMG", "с. Амангельды", 50.1500, 65.1900, 3),
    v("AMG", "с. Торгай", 49.6300, 63.5000, 2),
];

/// Streets most villages have.
pub(super) const VILLAGE_STREETS: &[&str] = &[
    "ул. Школьная",
    "ул. Садовая",
    "ул. Мира",
    "ул. Молодёжная",
    "ул. Целинная",
    "ул. Степная",
    "ул. Центральная",
    "ул. Абая",
    "ул. Набережная",
    "ул. Северная",
    "ул. Алтынсарина",
];

/// Farms and grain companies, the villages' employers.
pub(super) const FARMS: &[&str] = &[
    "ТОО «Агрофирма Колос»",
    "ТОО «Агрофирма Жана Жол»",
    "ТОО «Нива-Агро»",
    "КХ «Береке»",
    "КХ «Асыл»",
    "ТОО «Зерновая компания Тобол»",
    "ТОО «Элеватор Степной»",
    "ТОО «Агрофирма Дружба»",
    "КХ «Жайлау»",
];
