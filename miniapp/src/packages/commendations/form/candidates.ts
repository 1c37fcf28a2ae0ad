import { listCandidates, type Candidate } from '@shared/commendations'
import { api } from '@/api'

/** Whom a commendation may name: the township's active members whose name contains `q`. */
export const searchCandidates = async (q: string): Promise<Candidate[]> => (await api(listCandidates, { query: { q } })).candidates
