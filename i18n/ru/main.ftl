## Layout
skip-to-content = Перейти к содержанию
nav-label = Главное меню
language = Язык
theme = Тема
theme-auto = Авто
theme-light = День
theme-dark = Ночь
sign-out = Выйти
footer-tagline = планирование и учёт проверок поднадзорных лиц
role-administrator = Администратор
role-prosecutor = Прокурор
role-supervisor = Руководитель
role-officer = Сотрудник

## Navigation
nav-home = Главная
nav-users = Пользователи
nav-mobile-groups = Мобильные группы
nav-districts = Районы
nav-contact-standards = Нормативы проверок
nav-audit = Журнал аудита
nav-registry = Реестр
nav-reports = Отчёты
nav-today = Сегодня

## Lists
pagination = Страницы
showing = Показаны
of = из
previous = Назад
next = Далее
any = Любой
apply = Применить
reset = Сбросить
sort-by = Сортировка
sort-name = По ФИО
sort-district = По району
sort-tier = По уровню риска
sort-updated = По дате изменения

## Errors
error-title = Здесь что-то пошло не так
back-home = На главную
error-not-found = Такой страницы или записи нет. Проверьте адрес или найдите запись в списке.
error-forbidden = Вашей роли эта страница недоступна. Если она нужна, обратитесь к администратору.
error-csrf = Форма устарела или пришла с другого сайта, поэтому ничего не сохранено. Обновите страницу и повторите.
error-internal = Сервер не смог ответить. Ничего не изменено; повторите через минуту, а если ошибка повторится, сообщите администратору.
error-sign-in-required = Сначала войдите в систему.
error-method = Этот адрес не принимает такой запрос.
error-payload-too-large = Отправлено слишком много данных.
error-conflict = Кто-то уже изменил эту запись. Обновите её, чтобы увидеть изменения.
error-bad-request = Запрос не понят. Вернитесь и проверьте введённые данные.

## Sign-in
sign-in-title = Вход
sign-in-lead = Baqylau ведёт реестр поднадзорных лиц и проверки мобильных групп.
sign-in = Войти
sign-in-failed = Неверный логин или пароль.
sign-in-locked = Слишком много неудачных попыток: учётная запись заблокирована.
sign-in-locked-until = Повторите после { $time }.
signed-out = Вы вышли из системы.
session-expired = Сеанс истёк. Войдите снова.
field-login = Логин
field-password = Пароль
password-too-short = Пароль должен содержать не менее 8 символов.

## Home
home-greeting = Здравствуйте, { $name }
home-lead-administrator = Управляйте доступом и настройками: пользователи, мобильные группы, районы, нормативы проверок и журнал аудита.
home-lead-prosecutor = Ведите реестр поднадзорных лиц, планируйте проверки и реагируйте на их результаты.
home-lead-supervisor = Смотрите, как проверки охватывают поднадзорных и как меняется преступность в области.
home-lead-officer = Откройте сегодняшний маршрут, проезжайте его и отмечайте каждое посещение на месте.
home-admin-users = Учётные записи, роли и блокировки
home-admin-groups = Экипажи, базы и смены
home-admin-districts = Границы и население
home-admin-standards = Как часто проверять каждый уровень риска
home-admin-audit = Кто что просматривал и менял
home-active-persons = Под надзором
home-in-registry = в реестре
home-tier-high-hint = Проверяются чаще всего
home-reports-hint = Охват и преступность по районам
home-by-tier = Под надзором по уровню риска: высокий / средний / низкий
home-officer-hint = Маршрут, адреса и посещения
persons-count = { $count ->
    [one] { $count } лицо
    [few] { $count } лица
   *[many] { $count } лиц
}

## Registry
registry-title = Реестр поднадзорных лиц
registry-search = Поиск
registry-search-hint = ФИО, ИИН или адрес
registry-empty = Никто не подходит под эти условия. Очистите поиск или выберите «Любой».
person-identity = Личные данные
person-places = Жительство и работа
person-conviction = Судимость и надзор
person-access = Кто открывал или менял запись
person-access-empty = Пока никто.
field-name = ФИО
field-iin = ИИН
field-birth-date = Дата рождения
field-sex = Пол
field-phone = Телефон
field-article = Статья
field-severity = Тяжесть
field-conviction-date = Дата приговора
field-release-date = Дата освобождения
field-expungement-date = Дата погашения судимости
field-prior-convictions = Прежние судимости
field-supervision-kind = Вид надзора
field-supervision-start = Под надзором с
field-restrictions = Ограничения
field-curfew = Нахождение дома
field-risk-tier = Уровень риска
field-risk-tier-reason = Причина изменения уровня риска
field-status = Статус
field-district = Район
field-home-address = Адрес проживания
field-home-point = Координаты дома (шир., долг.)
field-employer = Место работы
field-work-address = Адрес работы
sex-male = Мужской
sex-female = Женский
risk-tier-high = Высокий
risk-tier-medium = Средний
risk-tier-low = Низкий
status-active = Под надзором
status-moved_out = Выбыл
status-in_custody = Под стражей
status-deceased = Умер
status-expunged = Судимость погашена
status-wanted = В розыске
supervision-probation = Пробационный контроль
supervision-administrative_supervision = Административный надзор
supervision-parole = УДО
supervision-record_only = Профилактический учёт
severity-especially_grave = Особо тяжкое
severity-grave = Тяжкое
severity-medium = Средней тяжести
severity-minor = Небольшой тяжести
severity-misdemeanour = Уголовный проступок
iin-error-length = ИИН состоит ровно из 12 цифр.
iin-error-digits = ИИН содержит только цифры.
iin-error-century = 7-я цифра ИИН (век и пол) должна быть от 1 до 6.
iin-error-birth-date = Первые шесть цифр ИИН не образуют существующую дату рождения.
iin-error-check-digit = Неверная контрольная цифра ИИН: проверьте, нет ли опечатки.

## Administration
users-empty = Пользователей пока нет.
field-role = Роль
field-mobile-group = Мобильная группа
user-active = Активен
user-disabled = Отключён
user-locked-until = Заблокирован до { $time }
groups-empty = Мобильных групп пока нет.
field-base = База
field-shift = Смена
field-capacity = Проверок за смену
field-active-days = Рабочие дни
field-members = Состав
day-mon = Пн
day-tue = Вт
day-wed = Ср
day-thu = Чт
day-fri = Пт
day-sat = Сб
day-sun = Вс
districts-empty = Районов пока нет.
field-code = Код
field-district-kind = Тип
field-population = Население
field-vertices = Точек границы
district-kind-urban = Городской
district-kind-rural = Сельский
standards-lead = Наибольший допустимый интервал между успешными проверками лица, в днях.
standards-home-days = По месту жительства, дней
standards-work-days = По месту работы, дней
audit-lead = Каждый вход, каждый просмотр и каждое изменение записи о лице. Записи журнала не изменяются и не удаляются.
audit-empty = Журнал пуст.
audit-at = Когда
audit-action = Действие
audit-record = Запись
audit-ip = Адрес
audit-details = Подробности
audit-action-login = Вход
audit-action-login_failed = Неудачный вход
audit-action-logout = Выход
audit-action-read = Просмотр
audit-action-create = Создание
audit-action-update = Изменение
audit-action-denied = Отказ в доступе

## Reports
report-overview-title = Поднадзорные лица по районам
report-overview-lead = Лица под надзором в каждом районе, на 10 тысяч населения и по уровню риска.
report-region-total = Область
report-per-10k = На 10 тыс. населения
report-overview-note = Охват проверками и динамика преступности появятся здесь, когда будут учтены проверки и преступления.

## Field
field-no-group = Вы пока не входите в мобильную группу. Попросите администратора добавить вас.
field-no-route = На сегодня для вашей группы маршрут не опубликован.
