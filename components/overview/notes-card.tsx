import { Card } from '@/components/ui/card';
import { AlertIcon, CrossIcon, InfoIcon } from '@/components/ui/icons';
import { cx } from '@/components/ui/tone';
import styles from './overview.module.css';

export interface Note { tone: 'info' | 'warn' | 'crit'; text: string }

export interface NotesCardProps { notes: Note[] }

/** What the source itself says about its data: missing etcd metrics, bundle import warnings, errors. */
export function NotesCard({ notes }: NotesCardProps) {
  if (!notes.length) return null;
  return (
    <Card id="notes" title="Notes from the cluster" testId="notes">
      <ul className={styles.notes}>
        {notes.map((n, i) => (
          <li key={i} className={cx(styles.note, styles[`note-${n.tone}`])}>
            <span className={styles.noteIcon}>
              {n.tone === 'crit' ? <CrossIcon size={16} /> : n.tone === 'warn' ? <AlertIcon size={16} /> : <InfoIcon size={16} />}
            </span>
            <span>{n.text}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
