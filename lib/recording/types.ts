/** The components whose /metrics the recorder reads. */
export type Component = 'kube-apiserver' | 'etcd';

export interface RecordedRow { name: string; labels: Record<string, string>; value: number }
