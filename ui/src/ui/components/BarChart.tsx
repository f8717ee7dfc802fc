import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartDataset,
} from "chart.js";
import { useEffect, useRef } from "react";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/** Marianne where the DSFR provides it, as the rest of the window. */
const FONT = { family: "Marianne, arial, sans-serif", size: 12 };

/** A long label on several lines of at most `width` characters (Chart.js draws arrays so). */
export function wrapped(label: string, width = 26): string | string[] {
  if (label.length <= width) return label;
  const lines: string[] = [];
  for (const word of label.split(" ")) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + word.length + 1 <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

export interface Series {
  label: string;
  values: number[];
  /** A DSFR colour. */
  colour: string;
}

/**
 * A bar chart drawn by Chart.js on a canvas. The canvas is a picture for sighted users only
 * (`aria-hidden`): the same figures are always given as a table beside it. Where there is no
 * drawing surface (tests under jsdom), nothing is drawn and the table stands alone.
 */
export function BarChart({
  labels,
  series,
  horizontal = false,
  stacked = false,
  height,
}: {
  labels: string[];
  series: Series[];
  horizontal?: boolean;
  stacked?: boolean;
  height: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const context = canvas.current?.getContext("2d");
    if (!canvas.current || typeof context?.fillRect !== "function") return;
    const datasets: ChartDataset<"bar">[] = series.map((s) => ({
      label: s.label,
      data: s.values,
      backgroundColor: s.colour,
      maxBarThickness: 40,
    }));
    const axis = { stacked, ticks: { font: FONT, precision: 0 }, grid: { color: "#dddddd" } };
    const chart = new Chart(canvas.current, {
      type: "bar",
      data: { labels: labels.map((l) => wrapped(l)), datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: "fr-FR",
        scales: { x: { ...axis, beginAtZero: true }, y: { ...axis, beginAtZero: true } },
        plugins: {
          legend: { display: series.length > 1, labels: { font: FONT } },
          tooltip: { bodyFont: FONT, titleFont: FONT },
        },
      },
    });
    return () => chart.destroy();
  }, [labels, series, horizontal, stacked]);

  return (
    <div className="chart__plot" style={{ height }} aria-hidden="true">
      <canvas ref={canvas} />
    </div>
  );
}
