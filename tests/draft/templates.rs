//! The shipped templates (`assets/templates/*.docx`), written with docx-rs from this code.
//!
//! `shipped_templates_are_generated_from_this_code` checks that the committed files are what
//! this code writes; `PERMANENCE_UPDATE_TEMPLATES=1 cargo test --workspace shipped_templates`
//! writes them again (see `assets/templates/README.md`).

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BorderType, Docx, FieldCharType, Footer, InstrNUMPAGES, InstrPAGE, InstrText,
    LineSpacing, PageMargin, Paragraph, Run, RunFonts, Shading, ShdType, SpecialIndentType, Table,
    TableBorder, TableBorderPosition, TableBorders, TableCell, TableRow, WidthType,
};
use permanence::draft::template::Package;

const FONT: &str = "Times New Roman";
/// Usable width of an A4 page with 2.5 cm margins, in twentieths of a point.
const WIDTH: usize = 9638;
const NB: char = '\u{a0}';

fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT)
}

fn run(text: &str) -> Run {
    Run::new().add_text(text).fonts(fonts())
}

fn spacing(before: u32, after: u32) -> LineSpacing {
    LineSpacing::new().before(before).after(after)
}

/// A justified paragraph of running text.
fn para(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text))
        .align(AlignmentType::Both)
        .line_spacing(spacing(0, 120))
}

/// A paragraph made of runs, `**bold**` parts in bold.
fn rich(text: &str) -> Paragraph {
    let mut p = Paragraph::new()
        .align(AlignmentType::Both)
        .line_spacing(spacing(0, 120));
    for (i, part) in text.split("**").enumerate() {
        if part.is_empty() {
            continue;
        }
        let r = run(part);
        p = p.add_run(if i % 2 == 1 { r.bold() } else { r });
    }
    p
}

/// An item of a list: a dash and a hanging indent.
fn item(text: &str) -> Paragraph {
    rich(&format!("–\t{text}"))
        .indent(Some(567), Some(SpecialIndentType::Hanging(283)), None, None)
        .line_spacing(spacing(0, 60))
}

/// A paragraph holding only a block marker (`{{#pieces}}`, `{{/si}}`): it disappears.
fn marker(tag: &str) -> Paragraph {
    Paragraph::new().add_run(run(tag))
}

fn title(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text).bold().size(30).character_spacing(20))
        .align(AlignmentType::Center)
        .line_spacing(spacing(360, 120))
}

fn subtitle(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text).italic().size(22))
        .align(AlignmentType::Center)
        .line_spacing(spacing(0, 360))
}

/// A section heading (« EXPOSÉ DES FAITS »).
fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text).bold().size(24).underline("single"))
        .line_spacing(spacing(240, 120))
        .keep_next(true)
}

/// A sub-heading inside a section.
fn subheading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text).bold().italic())
        .line_spacing(spacing(120, 60))
        .keep_next(true)
}

fn centered(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text).bold())
        .align(AlignmentType::Center)
        .line_spacing(spacing(240, 120))
}

fn right(text: &str, bold: bool) -> Paragraph {
    let r = run(text);
    Paragraph::new()
        .add_run(if bold { r.bold() } else { r })
        .indent(Some(4819), None, None, None)
        .align(AlignmentType::Center)
        .line_spacing(spacing(0, 0))
}

fn cell(paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
    paragraphs
        .into_iter()
        .fold(TableCell::new(), TableCell::add_paragraph)
        .width(width, WidthType::Dxa)
}

fn line(text: &str, size: usize, bold: bool) -> Paragraph {
    let r = run(text).size(size);
    Paragraph::new()
        .add_run(if bold { r.bold() } else { r })
        .align(AlignmentType::Center)
        .line_spacing(spacing(0, 0))
}

/// The heading every act of the parquet starts with: the court and the parquet on the left,
/// the Republic on the right.
fn letterhead() -> Table {
    let half = WIDTH / 2;
    let left = cell(
        vec![
            line("{{ tribunal.entete }}", 22, true),
            line("—", 20, false),
            line("PARQUET DU PROCUREUR", 20, true),
            line("DE LA RÉPUBLIQUE", 20, true),
            line("", 12, false),
            line(
                &format!("N°{NB}de parquet{NB}: {{{{ dossier.numero_parquet }}}}"),
                18,
                false,
            ),
            line(
                &format!("Dossier Permanence n°{NB}{{{{ dossier.numero }}}}"),
                16,
                false,
            ),
        ],
        half,
    );
    let right_ = cell(
        vec![
            line("RÉPUBLIQUE FRANÇAISE", 22, true),
            line("Liberté – Égalité – Fraternité", 18, false),
        ],
        half,
    );
    Table::without_borders(vec![TableRow::new(vec![left, right_])])
        .set_grid(vec![half, half])
        .width(WIDTH, WidthType::Dxa)
}

/// « Fait au parquet du tribunal judiciaire de …, le … » and the signature of the magistrate.
fn signature(date_in_words: bool) -> Vec<Paragraph> {
    let date = if date_in_words {
        "{{ aujourdhui.lettres }}"
    } else {
        "le {{ aujourdhui.date }}"
    };
    vec![
        Paragraph::new()
            .add_run(run(&format!(
                "Fait au parquet du {{{{ tribunal.intitule }}}}, {date}."
            )))
            .align(AlignmentType::Right)
            .line_spacing(spacing(480, 240))
            .keep_next(true),
        right("Pour le procureur de la République,", false).keep_next(true),
        Paragraph::new()
            .line_spacing(spacing(600, 0))
            .keep_next(true),
        right("{{ magistrat.nom }}", true).keep_next(true),
        Paragraph::new()
            .add_run(run("{{ magistrat.fonction }}").italic())
            .indent(Some(4819), None, None, None)
            .align(AlignmentType::Center),
    ]
}

fn field_run(instr: InstrText) -> Vec<Run> {
    vec![
        Run::new()
            .fonts(fonts())
            .size(16)
            .add_field_char(FieldCharType::Begin, false),
        Run::new().fonts(fonts()).size(16).add_instr_text(instr),
        Run::new()
            .fonts(fonts())
            .size(16)
            .add_field_char(FieldCharType::Separate, false),
        Run::new().fonts(fonts()).size(16).add_text("1"),
        Run::new()
            .fonts(fonts())
            .size(16)
            .add_field_char(FieldCharType::End, false),
    ]
}

fn footer() -> Footer {
    let mut p = Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(run("{{ document.titre }} — {{ tribunal.intitule }} — page ").size(16));
    for r in field_run(InstrText::PAGE(InstrPAGE::new())) {
        p = p.add_run(r);
    }
    p = p.add_run(run(" sur ").size(16));
    for r in field_run(InstrText::NUMPAGES(InstrNUMPAGES::new())) {
        p = p.add_run(r);
    }
    Footer::new().add_paragraph(p)
}

fn border(position: TableBorderPosition) -> TableBorder {
    TableBorder::new(position)
        .border_type(BorderType::Single)
        .size(4)
        .color("000000")
}

fn borders() -> TableBorders {
    let mut b = TableBorders::new();
    for p in [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ] {
        b = b.set(border(p));
    }
    b
}

fn table_text(text: &str, bold: bool, size: usize) -> Paragraph {
    let r = run(text).size(size);
    Paragraph::new()
        .add_run(if bold { r.bold() } else { r })
        .line_spacing(spacing(40, 40))
}

/// A bordered table: a shaded header row, then the repeated row (markers in its first and
/// last cells).
fn grid(columns: &[(&str, usize)], row: &[&str], size: usize) -> Table {
    let header = TableRow::new(
        columns
            .iter()
            .map(|(h, w)| {
                cell(vec![table_text(h, true, size)], *w).shading(
                    Shading::new()
                        .shd_type(ShdType::Clear)
                        .color("auto")
                        .fill("E7E6E6"),
                )
            })
            .collect(),
    )
    .cant_split();
    let body = TableRow::new(
        columns
            .iter()
            .zip(row)
            .map(|((_, w), text)| cell(vec![table_text(text, false, size)], *w))
            .collect(),
    )
    .cant_split();
    Table::new(vec![header, body])
        .set_grid(columns.iter().map(|(_, w)| *w).collect())
        .width(WIDTH, WidthType::Dxa)
        .set_borders(borders())
}

// A list built once per template, never stored: the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
enum Block {
    P(Paragraph),
    T(Table),
}

fn document(blocks: Vec<Block>) -> Vec<u8> {
    let mut docx = Docx::new()
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1418)
                .right(1418)
                .header(567)
                .footer(567),
        )
        .default_fonts(fonts())
        .default_size(24)
        .footer(footer())
        .created_at("2026-12-01T00:00:00Z")
        .updated_at("2026-12-01T00:00:00Z");
    docx = docx.add_table(letterhead());
    for b in blocks {
        docx = match b {
            Block::P(p) => docx.add_paragraph(p),
            Block::T(t) => docx.add_table(t),
        };
    }
    let mut out = Cursor::new(Vec::new());
    docx.build()
        .pack(&mut out)
        .expect("docx-rs writes the package");
    normalise(&out.into_inner())
}

/// docx-rs numbers paragraphs with a process-wide counter: the ids are renumbered per part so
/// that the files do not depend on what ran before.
fn normalise(bytes: &[u8]) -> Vec<u8> {
    let mut package = Package::read("docx-rs", bytes).expect("docx-rs output reads back");
    let ids = regex::Regex::new(r#"w14:paraId="[0-9a-fA-F]+""#).unwrap();
    for (name, data) in &mut package.entries {
        if !name.ends_with(".xml") {
            continue;
        }
        let text = String::from_utf8(data.clone()).expect("UTF-8 XML");
        let mut n = 0;
        let renumbered = ids.replace_all(&text, |_: &regex::Captures| {
            n += 1;
            format!("w14:paraId=\"{n:08X}\"")
        });
        *data = renumbered.into_owned().into_bytes();
    }
    package.write()
}

use Block::{P, T};

fn synthese() -> Vec<u8> {
    document(vec![
        P(title("FICHE DE SYNTHÈSE")),
        P(subtitle("Procédure {{ dossier.fichier }} ({{ dossier.pages }} pages)")),
        P(heading("PERSONNES")),
        P(marker("{{#mis_en_cause}}")),
        P(item("**Mis en cause**\u{a0}: {{ nom_complet }}, {{ naissance }} {{ source }}")),
        P(marker("{{/mis_en_cause}}")),
        P(marker("{{#victimes}}")),
        P(item("**Victime**\u{a0}: {{ nom_complet }} {{ source }}")),
        P(marker("{{/victimes}}")),
        P(heading("LES FAITS")),
        P(marker("{{#faits.resume}}")),
        P(para("{{ texte }} {{ source }}")),
        P(marker("{{/faits.resume}}")),
        P(heading("INFRACTIONS")),
        T(grid(
            &[("Qualification", 3900), ("NATINF", 1000), ("Textes", 2700), ("Peine encourue", 2038)],
            &[
                "{{#infractions}}{{ qualification }} {{ source }}",
                "{{#si natinf}}{{ natinf }}{{#sinon}}à déterminer{{/si}}",
                "{{ textes }}",
                "{{ peine }}{{/infractions}}",
            ],
            20,
        )),
        P(heading("MESURES ET CONSTATATIONS")),
        P(marker("{{#mesures_cles}}")),
        P(item("{{ texte }} {{ source }}")),
        P(marker("{{/mesures_cles}}")),
        P(item("Permis de conduire\u{a0}: {{ permis.statut }} {{ permis.source }}")),
        P(marker("{{#si vehicule.present}}")),
        P(item("Véhicule\u{a0}: {{ vehicule.immatriculation }}")),
        P(marker("{{/si}}")),
        P(heading("ANTÉCÉDENTS ET RÉCIDIVE")),
        P(marker("{{#antecedents}}")),
        P(item("{{ date }}\u{a0}: {{ libelle }} {{ source }}")),
        P(marker("{{/antecedents}}")),
        P(marker("{{#si non antecedents}}")),
        P(item("Aucune condamnation relevée {{ recidive_source }}")),
        P(marker("{{/si}}")),
        P(item("**Récidive**\u{a0}: {{ recidive_texte }} {{ recidive_source }}")),
        P(heading("GARDE À VUE")),
        P(marker("{{#si garde_a_vue.presente}}")),
        P(para("Du {{ garde_a_vue.debut }} au {{ garde_a_vue.fin }}, soit {{ garde_a_vue.duree }} {{ garde_a_vue.source }}.")),
        P(marker("{{#sinon}}")),
        P(para("Aucune garde à vue.")),
        P(marker("{{/si}}")),
        P(heading("ORIENTATION")),
        P(marker("{{#si proposition.presente}}")),
        P(rich("**Orientation proposée**\u{a0}: {{ proposition.orientation }} (politique pénale {{ proposition.politique }})")),
        P(marker("{{#proposition.regles}}")),
        P(marker("{{#si decisive}}")),
        P(item("{{ explication }}")),
        P(marker("{{/si}}")),
        P(marker("{{/proposition.regles}}")),
        P(marker("{{#proposition.mesures}}")),
        P(item("{{ libelle }}{{#si obligatoire}} (imposée par la loi){{/si}}")),
        P(marker("{{/proposition.mesures}}")),
        P(marker("{{/si}}")),
        P(marker("{{#si decision.presente}}")),
        P(rich("**Décision**\u{a0}: {{ decision.orientation }}, par {{ decision.magistrat }}, {{ decision.fonction }}, le {{ decision.date }} à {{ decision.heure }}{{#si decision.motif}} — motif\u{a0}: {{ decision.motif }}{{/si}}.")),
        P(marker("{{#sinon}}")),
        P(rich("**Décision**\u{a0}: en attente de la décision du magistrat.")),
        P(marker("{{/si}}")),
        P(Paragraph::new()
            .add_run(run("Fiche établie le {{ aujourdhui.date }} à {{ aujourdhui.heure }} par {{ magistrat.nom }}, {{ magistrat.fonction }}, à partir de la procédure\u{a0}; chaque mention renvoie à sa pièce et à sa page.").italic().size(18))
            .line_spacing(spacing(360, 0))),
    ])
}

fn bordereau() -> Vec<u8> {
    let mut blocks = vec![
        P(title("BORDEREAU DES PIÈCES")),
        P(subtitle("Procédure suivie contre {{ personne.nom_complet }} — {{ dossier.fichier }} ({{ dossier.pages }} pages)")),
        T(grid(
            &[("Cote ou n°", 1300), ("Nature", 2900), ("Titre", 3300), ("Date", 1300), ("Pages", 838)],
            &[
                "{{#pieces}}{{ reference }}",
                "{{ nature }}",
                "{{ titre }}",
                "{{ date_numerique }}",
                "{{ pages }}{{/pieces}}",
            ],
            18,
        )),
        P(para("Le présent bordereau comprend {{ nombre_pieces }} pièce(s), arrêté le {{ aujourdhui.date }}.")
            .line_spacing(spacing(240, 120))),
    ];
    blocks.extend(signature(false).into_iter().map(P));
    document(blocks)
}

fn orientation() -> Vec<u8> {
    let mut blocks = vec![
        P(title("AVIS D'ORIENTATION")),
        P(subtitle(
            "Permanence du parquet — traitement en temps réel (article 40-1 du code de procédure pénale)",
        )),
        P(heading("LE DOSSIER")),
        P(item("Dossier\u{a0}: {{ dossier.titre }}")),
        P(item(
            "Procédure\u{a0}: {{ dossier.fichier }} ({{ dossier.pages }} pages)",
        )),
        P(item(
            "Faits du {{ faits.date }} à {{ faits.heure }}, à {{ faits.commune }} {{ faits.source }}",
        )),
        P(heading("LA PERSONNE MISE EN CAUSE")),
        P(rich(
            "**{{ personne.nom_complet }}**, {{ personne.naissance }} {{ personne.source }}",
        )),
        P(heading("LES INFRACTIONS")),
        P(marker("{{#infractions}}")),
        P(item(
            "{{ qualification }}{{#si natinf}} (NATINF {{ natinf }}, {{ nature }}){{/si}}, {{ textes }} {{ source }}",
        )),
        P(marker("{{/infractions}}")),
        P(heading("L'ORIENTATION")),
        P(centered("{{ orientation.libelle }}")),
        P(Paragraph::new()
            .add_run(run("({{ orientation.origine }})").italic())
            .align(AlignmentType::Center)),
        P(marker("{{#si orientation.mesures}}")),
        P(subheading("Mesures")),
        P(marker("{{/si}}")),
        P(marker("{{#orientation.mesures}}")),
        P(item(
            "{{ libelle }}{{#si obligatoire}} — imposée par la loi{{/si}}",
        )),
        P(marker("{{/orientation.mesures}}")),
        P(heading("LES CRITÈRES DE LA POLITIQUE PÉNALE")),
        P(marker("{{#si proposition.presente}}")),
        P(para("Politique pénale {{ proposition.politique }}.")),
        P(marker("{{#proposition.regles}}")),
        P(subheading(
            "Règle «\u{a0}{{ id }}\u{a0}» — {{ orientation }}{{#si decisive}} (déterminante){{/si}}",
        )),
        P(para(
            "{{ explication }}{{#si fondement}} ({{ fondement }}){{/si}}",
        )),
        P(marker("{{#criteres}}")),
        P(item("{{ texte }} {{ source }}")),
        P(marker("{{/criteres}}")),
        P(marker("{{/proposition.regles}}")),
        P(marker("{{#si proposition.obligations}}")),
        P(subheading("Conséquences imposées par la loi")),
        P(marker("{{/si}}")),
        P(marker("{{#proposition.obligations}}")),
        P(item("{{ texte }} ({{ fondement }})")),
        P(marker("{{/proposition.obligations}}")),
        P(marker("{{#si proposition.manquants}}")),
        P(subheading("Points à vérifier")),
        P(marker("{{/si}}")),
        P(marker("{{#proposition.manquants}}")),
        P(item("{{ texte }}")),
        P(marker("{{/proposition.manquants}}")),
        P(marker("{{#sinon}}")),
        P(para("Aucune proposition n'a été calculée pour ce dossier.")),
        P(marker("{{/si}}")),
        P(heading("LE MAGISTRAT")),
        P(marker("{{#si decision.presente}}")),
        P(para(
            "Décision prise par {{ decision.magistrat }}, {{ decision.fonction }}, le {{ decision.date }} à {{ decision.heure }}{{#si decision.acceptee}}, conformément à la proposition{{#sinon}}, la proposition étant écartée{{#si decision.motif}} pour le motif suivant\u{a0}: {{ decision.motif }}{{/si}}{{/si}}.",
        )),
        P(marker("{{#sinon}}")),
        P(para(
            "Avis rendu par {{ magistrat.nom }}, {{ magistrat.fonction }}, le {{ aujourdhui.date }} à {{ aujourdhui.heure }}.",
        )),
        P(marker("{{/si}}")),
    ];
    blocks.extend(signature(false).into_iter().map(P));
    document(blocks)
}

fn jld() -> Vec<u8> {
    let mut blocks = vec![
        P(title(
            "REQUÊTE AUX FINS DE PLACEMENT EN DÉTENTION PROVISOIRE",
        )),
        P(subtitle(
            "adressée au juge des libertés et de la détention du {{ tribunal.intitule }}",
        )),
        P(rich(
            "**Le procureur de la République près le {{ tribunal.intitule }},**",
        )),
        P(para(
            "Vu les articles 137, 143-1, 144, 145 et 396 du code de procédure pénale\u{202f};",
        )),
        P(para(
            "Vu la procédure {{ dossier.fichier }} suivie contre\u{a0}:",
        )),
        P(centered("{{ personne.nom_complet }}")),
        P(Paragraph::new()
            .add_run(run("{{ personne.naissance }} {{ personne.source }}"))
            .align(AlignmentType::Center)),
        P(heading("EXPOSÉ DES FAITS")),
        P(marker("{{#faits.resume}}")),
        P(para("{{ texte }} {{ source }}")),
        P(marker("{{/faits.resume}}")),
        P(heading("QUALIFICATION ET PEINES ENCOURUES")),
        P(marker("{{#infractions}}")),
        P(item(
            "**{{ qualification }}**{{#si natinf}} (NATINF {{ natinf }}){{/si}}, {{ textes }}\u{a0}: {{ peine }}{{#si peine_note}} — {{ peine_note }}{{/si}}.",
        )),
        P(marker("{{/infractions}}")),
        P(marker("{{#si jld.detention_possible}}")),
        P(para(
            "La peine la plus forte encourue, {{ jld.peine_maximale }}, comporte au moins {{ jld.seuil }} d'emprisonnement\u{a0}: la détention provisoire peut être ordonnée ({{ jld.seuil_fondement }}).",
        )),
        P(marker("{{#sinon}}")),
        P(rich(
            "**Attention**\u{a0}: aucune des infractions relevées n'est punie d'au moins {{ jld.seuil }} d'emprisonnement ({{ jld.seuil_fondement }})\u{a0}; la détention provisoire ne peut être requise en l'état.",
        )),
        P(marker("{{/si}}")),
        P(heading("SITUATION DE LA PERSONNE")),
        P(marker("{{#antecedents}}")),
        P(item(
            "Condamnation du {{ date }}\u{a0}: {{ libelle }} {{ source }}",
        )),
        P(marker("{{/antecedents}}")),
        P(item(
            "Récidive\u{a0}: {{ recidive_texte }} {{ recidive_source }}",
        )),
        P(marker("{{#si garde_a_vue.presente}}")),
        P(item(
            "Garde à vue du {{ garde_a_vue.debut }} au {{ garde_a_vue.fin }} {{ garde_a_vue.source }}",
        )),
        P(marker("{{/si}}")),
        P(heading("MOTIFS DE LA DÉTENTION PROVISOIRE")),
        P(para(
            "{{ jld.preambule }}. En l'espèce, la détention provisoire de {{ personne.nom_complet }} constitue l'unique moyen de\u{a0}:",
        )),
        P(marker("{{#jld.criteres}}")),
        P(subheading("{{ numero }} {{ texte }}")),
        P(marker("{{#si note}}")),
        P(Paragraph::new()
            .add_run(run("({{ note }})").italic().size(20))
            .line_spacing(spacing(0, 60))),
        P(marker("{{/si}}")),
        P(para(
            "{{#si motivation}}{{ motivation }}{{#sinon}}[À motiver par le magistrat au regard des éléments précis et circonstanciés de la procédure\u{a0}:] ……………………………………………………………………{{/si}}",
        )),
        P(para(
            "Pièces citées\u{a0}: {{#si cotes}}{{ cotes }}{{#sinon}}…………………{{/si}}.",
        )),
        P(marker("{{/jld.criteres}}")),
        P(marker("{{#si non jld.criteres}}")),
        P(para(
            "(Cochez les critères de l'article 144 retenus et motivez chacun.)",
        )),
        P(marker("{{/si}}")),
        P(heading(
            "INSUFFISANCE DU CONTRÔLE JUDICIAIRE ET DE L'ASSIGNATION À RÉSIDENCE",
        )),
        P(para(
            "Ces objectifs ne sauraient être atteints par un placement sous contrôle judiciaire ni par une assignation à résidence avec surveillance électronique\u{a0}: {{#si jld.insuffisance}}{{ jld.insuffisance }}{{#sinon}}[à motiver\u{a0}: garanties de représentation, obligations qui seraient inefficaces, risque de renouvellement] ……………………………………………………{{/si}}",
        )),
        P(heading("PAR CES MOTIFS")),
        P(rich(
            "**Requiert** qu'il plaise au juge des libertés et de la détention **ordonner le placement en détention provisoire** de {{ personne.nom_complet }} jusqu'à sa comparution devant le tribunal correctionnel, en application des articles 396 et 144 du code de procédure pénale.",
        )),
    ];
    blocks.extend(signature(false).into_iter().map(P));
    document(blocks)
}

fn requisitoire() -> Vec<u8> {
    let mut blocks = vec![
        P(title("RÉQUISITOIRE DÉFINITIF")),
        P(marker("{{#si requisitions.renvoi}}")),
        P(subtitle(
            "aux fins de renvoi devant le tribunal correctionnel",
        )),
        P(marker("{{#sinon}}")),
        P(subtitle("aux fins de non-lieu")),
        P(marker("{{/si}}")),
        P(rich(
            "**Le procureur de la République près le {{ tribunal.intitule }},**",
        )),
        P(para(
            "Vu l'information suivie contre {{#mis_en_cause}}{{ nom_complet }}, {{ naissance }}{{#si non boucle.dernier}}\u{202f}; {{/si}}{{/mis_en_cause}}, des chefs de {{ requisitions.chefs }}\u{202f};",
        )),
        P(para(
            "Vu l'avis de fin d'information prévu par l'article 175 du code de procédure pénale\u{202f};",
        )),
        P(para("Vu les pièces de la procédure, et notamment\u{a0}:")),
        P(heading("EXPOSÉ DES FAITS")),
        P(marker("{{#pieces}}")),
        P(rich(
            "**{{ intitule }}** du {{ date }} ({{ reference }}, p.\u{a0}{{ pages }})\u{a0}: {{ resume }}",
        )),
        P(marker("{{#constatations}}")),
        P(item("{{ texte }} {{ source }}")),
        P(marker("{{/constatations}}")),
        P(marker("{{/pieces}}")),
        P(heading("DISCUSSION")),
        P(marker("{{#mis_en_cause}}")),
        P(subheading("Sur les faits reprochés à {{ nom_complet }}")),
        P(marker("{{#infractions}}")),
        P(rich(
            "**{{ boucle.rang }}. {{ qualification }}**{{#si natinf}} (NATINF {{ natinf }}){{/si}} — {{ textes }}.",
        )),
        P(para(
            "Les éléments suivants résultent de l'information\u{a0}:",
        )),
        P(marker("{{#elements}}")),
        P(item("{{ texte }} {{ source }}")),
        P(marker("{{/elements}}")),
        P(marker("{{/infractions}}")),
        P(marker("{{#si recidive}}")),
        P(para(
            "{{ nom_complet }} se trouve en état de récidive légale {{ recidive_source }}.",
        )),
        P(marker("{{/si}}")),
        P(marker("{{/mis_en_cause}}")),
        P(marker("{{#si requisitions.renvoi}}")),
        P(para(
            "Il résulte de l'information charges suffisantes contre les personnes mises en examen d'avoir commis les délits qui leur sont reprochés.",
        )),
        P(marker("{{#sinon}}")),
        P(para(
            "Il ne résulte pas de l'information charges suffisantes contre quiconque d'avoir commis les faits dont le juge d'instruction a été saisi.",
        )),
        P(marker("{{/si}}")),
        P(heading("PAR CES MOTIFS")),
        P(marker("{{#si requisitions.renvoi}}")),
        P(rich(
            "**Requiert** qu'il plaise au juge d'instruction **ordonner le renvoi** de {{#mis_en_cause}}{{ nom_complet }}{{#si non boucle.dernier}}, {{/si}}{{/mis_en_cause}} devant le {{ tribunal.correctionnel }} pour y être jugé(e) des chefs de {{ requisitions.chefs }}, conformément aux articles 176 et 179 du code de procédure pénale.",
        )),
        P(marker("{{#sinon}}")),
        P(rich(
            "**Requiert** qu'il plaise au juge d'instruction **dire n'y avoir lieu à suivre** en l'état, conformément aux articles 176 et 177 du code de procédure pénale.",
        )),
        P(marker("{{/si}}")),
    ];
    blocks.extend(signature(true).into_iter().map(P));
    document(blocks)
}

/// Every shipped template, as this code writes it.
pub fn all() -> [(&'static str, Vec<u8>); 5] {
    [
        ("synthese", synthese()),
        ("bordereau", bordereau()),
        ("orientation", orientation()),
        ("jld", jld()),
        ("requisitoire", requisitoire()),
    ]
}

#[test]
fn shipped_templates_are_generated_from_this_code() {
    let dir = crate::support::repo().join("assets/templates");
    let update = std::env::var_os("PERMANENCE_UPDATE_TEMPLATES").is_some();
    for (name, bytes) in all() {
        let path = dir.join(format!("{name}.docx"));
        if update {
            std::fs::write(&path, &bytes).unwrap();
        }
        let committed = std::fs::read(&path).unwrap();
        assert!(
            committed == bytes,
            "{} is not what tests/draft/templates.rs writes: run \
             PERMANENCE_UPDATE_TEMPLATES=1 cargo test --workspace shipped_templates",
            path.display()
        );
    }
}
